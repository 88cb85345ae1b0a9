package dev.amocrmsync.simulator;

/** An entry of the account's event log, as {@code GET /api/v4/events} lists it. */
public record SimEvent(String id, String type, long entityId, long createdAt) {

    /** {@code lead}, {@code contact} or {@code company}: what {@code lead_deleted}, {@code contact_restored}... name. */
    public String entityType() {
        int underscore = type.indexOf('_');
        return underscore < 0 ? type : type.substring(0, underscore);
    }
}
