package dev.amocrmsync.mirror;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.amocrmsync.amocrm.EventsPage;

/**
 * An entity whose items are entries of amoCRM's event log ({@code GET /api/v4/events}), such as the moves of deals
 * between stages: read by {@code created_at} under the run's frozen bound with every other entity's event types in one
 * scan, and never changed once written.
 *
 * @param types the event types its rows come from
 * @param row the row of one event, empty for an event it cannot use (logged by the engine, not quarantined: an event
 *        is not an item anybody can mend)
 */
public record EventLog<R>(List<String> types, Function<EventsPage.Event, Optional<R>> row) {
}
