package dev.amocrmsync.simulator;

/** An entry of the account's event log, as {@code GET /api/v4/events} lists it. */
public record SimEvent(String id, String type, long entityId, long createdAt) {
}
