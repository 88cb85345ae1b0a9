package dev.amocrmsync.notes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A note as one row of {@code amocrm_notes}; its entity type is its table partition; times in unix seconds. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NoteRow(long amocrmNoteId, Long entityId, String noteType, JsonNode params, Long responsibleUserId,
        Long groupId, Long createdBy, Long updatedBy, Boolean isPinned, Long createdAt, long updatedAt) {
}
