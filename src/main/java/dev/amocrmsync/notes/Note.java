package dev.amocrmsync.notes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A note as {@code GET /api/v4/{leads|contacts|companies}/notes} lists it: no entity type of its own (the list says
 * it), {@code params} by {@code note_type} (a call's duration, phone, result...), kept whole.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Note(Long entityId, Long createdBy, Long updatedBy, Long createdAt, Long responsibleUserId, Long groupId,
        String noteType, JsonNode params, Boolean isPinned) {
}
