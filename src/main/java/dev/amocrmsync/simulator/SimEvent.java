package dev.amocrmsync.simulator;

/**
 * An entry of the account's event log, as {@code GET /api/v4/events} lists it. {@code entityType} is singular
 * ({@code lead}, {@code contact}, {@code company}, {@code task}), unlike the lists; {@code createdBy} 0 is a robot or
 * the API. {@code before} and {@code after} are what {@code value_before} and {@code value_after} hold (null: an
 * empty array).
 */
public record SimEvent(long sequence, String type, String entityType, long entityId, long createdAt, long createdBy,
        EventValue before, EventValue after) {

    /** The event's id as the API sends it: a string. */
    public String id() {
        return "01sim" + Long.toHexString(sequence);
    }
}
