package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The account's event log, indexed by {@code created_at} second so that a page costs what it reads even with tens of
 * thousands of status changes. Events sharing one second come back in a new order on every request: the API defines
 * none. Not thread-safe: the account's lock guards it.
 */
final class EventLog {

    /** What a request to {@code /api/v4/events} asks for; empty sets and nulls were not sent. */
    record Query(Set<String> types, Set<String> entities, Set<Long> entityIds, Set<String> ids, Set<Long> createdBy,
            Long from, Long to, List<StageFilter> after, List<StageFilter> before, boolean oldestFirst, int page,
            int limit) {

        static Query of(Set<String> types, Set<String> entities, Long from, Long to, boolean oldestFirst, int page,
                int limit) {
            return new Query(types, entities, Set.of(), Set.of(), Set.of(), from, to, List.of(), List.of(),
                    oldestFirst, page, limit);
        }

        /** amoCRM's page size for events: at most 100, a larger limit gives 100, none or zero 50. */
        int size() {
            return Math.min(100, limit <= 0 ? 50 : limit);
        }
    }

    /** {@code filter[value_after][leads_statuses][n]}: a stage, either id null for any. */
    record StageFilter(Long pipelineId, Long statusId) {
        boolean matches(EventValue value) {
            return value instanceof EventValue.LeadStatus stage && (pipelineId == null || pipelineId == stage.pipelineId())
                    && (statusId == null || statusId == stage.statusId());
        }
    }

    private final TreeMap<Long, List<SimEvent>> bySecond = new TreeMap<>();
    private long sequence;
    private int size;

    SimEvent append(String type, String entityType, long entityId, long second, long createdBy, EventValue before,
            EventValue after) {
        SimEvent event = new SimEvent(++sequence, type, entityType, entityId, second, createdBy, before, after);
        bySecond.computeIfAbsent(second, s -> new ArrayList<>(1)).add(event);
        size++;
        return event;
    }

    int size() {
        return size;
    }

    /** Drops every event before {@code second}: the log reaches back only so far, and how far is not documented. */
    void forgetBefore(long second) {
        var older = bySecond.headMap(second, false);
        older.values().forEach(events -> size -= events.size());
        older.clear();
    }

    /** A page, newest first unless {@code oldestFirst}; within a second, a new order on every call. */
    List<SimEvent> page(Query query, Random tieOrder) {
        NavigableMap<Long, List<SimEvent>> seconds = bySecond.subMap(
                query.from() == null ? Long.MIN_VALUE : query.from(), true,
                query.to() == null ? Long.MAX_VALUE : query.to(), true);
        Predicate<SimEvent> matches = matcher(query);
        int size = query.size();
        return (query.oldestFirst() ? seconds : seconds.descendingMap()).values().stream()
                .flatMap(tied -> shuffled(tied, matches, tieOrder))
                .skip((long) (Math.max(1, query.page()) - 1) * size).limit(size).toList();
    }

    /** Every event, oldest second first. */
    List<SimEvent> all() {
        List<SimEvent> all = new ArrayList<>(size);
        bySecond.values().forEach(all::addAll);
        return all;
    }

    private static Stream<SimEvent> shuffled(List<SimEvent> tied, Predicate<SimEvent> matches, Random tieOrder) {
        List<SimEvent> matching = new ArrayList<>(tied.size());
        for (SimEvent event : tied) {
            if (matches.test(event)) {
                matching.add(event);
            }
        }
        if (matching.size() > 1) {
            Collections.shuffle(matching, tieOrder);
        }
        return matching.stream();
    }

    private static Predicate<SimEvent> matcher(Query query) {
        return event -> (query.types().isEmpty() || query.types().contains(event.type()))
                && (query.entities().isEmpty() || query.entities().contains(event.entityType()))
                && (query.entityIds().isEmpty() || query.entityIds().contains(event.entityId()))
                && (query.ids().isEmpty() || query.ids().contains(event.id()))
                && (query.createdBy().isEmpty() || query.createdBy().contains(event.createdBy()))
                && (query.after().isEmpty() || query.after().stream().anyMatch(f -> f.matches(event.after())))
                && (query.before().isEmpty() || query.before().stream().anyMatch(f -> f.matches(event.before())));
    }
}
