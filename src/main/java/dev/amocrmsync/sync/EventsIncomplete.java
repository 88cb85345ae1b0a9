package dev.amocrmsync.sync;

import java.time.Instant;

/**
 * One second of the event log could not be read completely within the requests {@link EventScan} allows it. Nothing of
 * the event log is applied and its cursor stays, so the next run reads the range again.
 */
final class EventsIncomplete extends RuntimeException {

    EventsIncomplete(long second, int events, int seen, int requests) {
        super("amoCRM's event log holds " + events + " deletion events at " + Instant.ofEpochSecond(second) + " (unix "
                + second + ") but " + requests + " requests returned only " + seen + " distinct ones; no deletion was"
                + " applied and the next run reads them again");
    }
}
