package dev.amocrmsync.amocrm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** HAL links of a list response; {@code next} may be present even on the last page. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Links(Link self, Link next) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Link(String href) {
    }
}
