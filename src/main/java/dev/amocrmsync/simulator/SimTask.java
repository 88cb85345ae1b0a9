package dev.amocrmsync.simulator;

/**
 * A task as the simulated account holds it. {@code entityType} is the API's plural ({@code leads}, {@code contacts},
 * {@code companies}); it and {@code entityId} are null for a task attached to nothing. {@code resultText} is null until
 * a result is written (the API then sends {@code result: []}).
 */
public record SimTask(long id, long createdBy, long updatedBy, long createdAt, long updatedAt, long responsibleUserId,
        long groupId, String entityType, Long entityId, long duration, boolean isCompleted, long taskTypeId,
        String text, String resultText, long completeTill) implements SimRecord {

    SimTask edited(String newText, long newCompleteTill, long at, long by) {
        return new SimTask(id, createdBy, by, createdAt, at, responsibleUserId, groupId, entityType, entityId, duration,
                isCompleted, taskTypeId, newText, resultText, newCompleteTill);
    }

    SimTask completed(String result, long at, long by) {
        return new SimTask(id, createdBy, by, createdAt, at, responsibleUserId, groupId, entityType, entityId, duration,
                true, taskTypeId, text, result, completeTill);
    }

    SimTask stampedAt(long second) {
        return new SimTask(id, createdBy, updatedBy, createdAt, second, responsibleUserId, groupId, entityType,
                entityId, duration, isCompleted, taskTypeId, text, resultText, completeTill);
    }
}
