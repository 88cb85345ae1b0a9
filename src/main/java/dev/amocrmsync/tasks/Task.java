package dev.amocrmsync.tasks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A task as {@code GET /api/v4/tasks} lists it. {@code result} is {@code {"text": ...}} once a result is written and an
 * empty array before (PHP's empty array); {@code entity_type} is plural ({@code leads}) and may be null with its id.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Task(Long createdBy, Long updatedBy, Long createdAt, Long responsibleUserId, Long groupId, Long entityId,
        String entityType, Long duration, Boolean isCompleted, Long taskTypeId, String text, JsonNode result,
        Long completeTill) {

    /** The result's text, null until one is written. */
    String resultText() {
        JsonNode text = result == null ? null : result.get("text");
        return text == null || text.isNull() ? null : text.asText();
    }
}
