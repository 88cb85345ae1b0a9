package dev.amocrmsync.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A task as one row of {@code amocrm_tasks}; times in unix seconds; {@code raw} the task as amoCRM sent it. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskRow(long amocrmTaskId, String entityType, Long entityId, Long taskTypeId, String text,
        Boolean isCompleted, String resultText, Long responsibleUserId, Long groupId, Long createdBy, Long updatedBy,
        Long duration, Long createdAt, Long completeTill, long updatedAt, JsonNode raw) {
}
