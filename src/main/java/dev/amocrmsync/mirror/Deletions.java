package dev.amocrmsync.mirror;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.amocrm.EventsPage;

/**
 * How an entity's deletions can be seen: deleted items vanish from amoCRM's lists, so only the event log tells
 * ({@code lead_deleted}, {@code task_deleted}, ...), the leads' bin ({@code with=only_deleted}), or a full sync that
 * did not find an item any more (a {@code sweep}: what it did not read is looked up by id, and what amoCRM does not
 * list is gone). Rows are never removed, only flagged.
 *
 * @param deleted event types that delete an item
 * @param restored event types that bring it back
 * @param itemOf the item an event of those types is about (an id), empty when the event is not about this entity
 * @param bin whether the list has a bin, read by a full sync
 * @param sweep whether a full sync looks up by id what it did not read (for entities whose deletions the event log
 *        does not always tell)
 */
public record Deletions(List<String> deleted, List<String> restored, Function<EventsPage.Event, Optional<Long>> itemOf,
        boolean bin, boolean sweep) {

    /** Nothing tells: rows stay as last read (an event-log entity, whose rows are events). */
    public static final Deletions NONE = new Deletions(List.of(), List.of(), event -> Optional.empty(), false, false);

    /** {@code <one>_deleted} and {@code <one>_restored} events name the item as {@code entity_id}. */
    public static Deletions byEvents(String one) {
        return new Deletions(List.of(one + "_deleted"), List.of(one + "_restored"), entityIdOf(one), false, false);
    }

    /** Only these deletion types, naming the item as {@code entity_id}; no restoration is ever told. */
    public static Deletions byEventsWithoutRestore(String one, String... deleted) {
        return new Deletions(List.of(deleted), List.of(), entityIdOf(one), false, false);
    }

    /** Events about another entity that name this one in their values, e.g. a note deleted from a lead. */
    public static Deletions byEventValues(String aboutEntity, String path, String... deleted) {
        return new Deletions(List.of(deleted), List.of(), event -> aboutEntity.equals(event.entityType())
                ? idIn(event.valueBefore(), path)
                : Optional.empty(), false, false);
    }

    public Deletions withBin() {
        return new Deletions(deleted, restored, itemOf, true, sweep);
    }

    public Deletions withSweep() {
        return new Deletions(deleted, restored, itemOf, bin, true);
    }

    /** Every type the event log is asked for on this entity's behalf. */
    public List<String> types() {
        return java.util.stream.Stream.concat(deleted.stream(), restored.stream()).toList();
    }

    /** Whether the event log tells anything of this entity. */
    public boolean readsEvents() {
        return !deleted.isEmpty();
    }

    private static Function<EventsPage.Event, Optional<Long>> entityIdOf(String one) {
        return event -> one.equals(event.entityType()) ? Optional.ofNullable(event.entityId()) : Optional.empty();
    }

    /** The id at {@code path} ({@code note.id}) in a value list such as {@code [{"note": {"id": 5}}]}. */
    private static Optional<Long> idIn(JsonNode values, String path) {
        if (values == null) {
            return Optional.empty();
        }
        for (JsonNode value : values.isArray() ? values : List.of(values)) {
            JsonNode at = value;
            for (String step : path.split("\\.")) {
                at = at.path(step);
            }
            if (at.canConvertToLong() && (at.isIntegralNumber() || at.isTextual() && at.textValue().matches("\\d{1,18}"))) {
                return Optional.of(at.asLong());
            }
        }
        return Optional.empty();
    }
}
