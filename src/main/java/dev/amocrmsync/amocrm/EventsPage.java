package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * An event; ids are strings in API v4. {@code valueBefore} and {@code valueAfter} are lists of what changed, in a
     * shape per type ({@code [{"lead_status": {"id": 142, "pipeline_id": 7}}]}), kept as received.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Event(String id, String type, Long entityId, String entityType, Long createdAt, Long createdBy,
            JsonNode valueBefore, JsonNode valueAfter) {

        /** An event that says only what happened to which item, and when. */
        public Event(String id, String type, Long entityId, String entityType, Long createdAt) {
            this(id, type, entityId, entityType, createdAt, null, null, null);
        }
    }

    public List<Event> events() {
        return embedded == null || embedded.events() == null ? List.of() : embedded.events();
    }
}
