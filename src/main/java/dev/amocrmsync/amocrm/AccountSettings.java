package dev.amocrmsync.amocrm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /api/v4/account?with=datetime_settings}: the account's time zone, which its date fields are written in. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountSettings(String timezone, @JsonProperty("_embedded") Embedded embedded) {

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
