package dev.amocrmsync.simulator;

/**
 * A note as the simulated account holds it: of a lead, contact or company ({@code entityType}, the API's plural, which
 * the API does not send: the URL says it), with its {@code params} pre-rendered as the JSON the API sends for its type.
 * Note ids are unique within one entity type only: a lead's note and a contact's note may share one.
 */
public record SimNote(long id, String entityType, long entityId, long createdBy, long updatedBy, long createdAt,
        long updatedAt, long responsibleUserId, long groupId, String noteType, String paramsJson, boolean isPinned)
        implements
            SimRecord {

    SimNote edited(String newParams, boolean pinned, long at, long by) {
        return new SimNote(id, entityType, entityId, createdBy, by, createdAt, at, responsibleUserId, groupId, noteType,
                newParams, pinned);
    }

    SimNote stampedAt(long second) {
        return new SimNote(id, entityType, entityId, createdBy, updatedBy, createdAt, second, responsibleUserId,
                groupId, noteType, paramsJson, isPinned);
    }

    /** A call note: {@code call_in} or {@code call_out}. */
    public boolean isCall() {
        return noteType.equals("call_in") || noteType.equals("call_out");
    }
}
