package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of {@code GET /api/v4/events}, newest first. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventsPage(@JsonProperty("_embedded") Embedded embedded) {

    public static final EventsPage EMPTY = new EventsPage(null);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(List<Event> events) {
    }

    /** An event; ids are strings in API v4. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Event(String id, String type, Long entityId, String entityType, Long createdAt) {
    }

    public List<Event> events() {
        return embedded == null || embedded.events() == null ? List.of() : embedded.events();
    }
}
