package dev.amocrmsync.amocrm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /api/v4/account?with=datetime_settings}: who we are talking to, and the time zone its date fields are
 * written in. The run's first call; its {@code Date} sets amoCRM's clock.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Account(Long id, String name, String subdomain, String timezone,
        @JsonProperty("_embedded") Embedded embedded) {

    static final Account UNKNOWN = new Account(null, null, null, null, null);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Embedded(DatetimeSettings datetimeSettings) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DatetimeSettings(String timezone) {
    }

    /** The zone's name (e.g. {@code Europe/Moscow}), from the datetime settings or the top level; null if neither. */
    public String zone() {
        if (embedded != null && embedded.datetimeSettings() != null && embedded.datetimeSettings().timezone() != null) {
            return embedded.datetimeSettings().timezone();
        }
        return timezone;
    }
}
