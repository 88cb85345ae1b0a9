package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * One entity's live records, its bin (restorable for leads, contacts and companies; only remembered for the others)
 * and its indexes by {@code updated_at} second and by any other sort key the entity's list honours, answering the list
 * queries. Records sharing one second come back in a different order on every request, as a database's
 * {@code ORDER BY ... LIMIT} may return them. Not thread-safe: the account's lock guards it.
 */
final class EntityTable<T extends SimRecord> implements ListSource<T> {

    private final String name;
    private final TreeMap<Long, T> live = new TreeMap<>();
    private final TreeMap<Long, T> deleted = new TreeMap<>();
    private final TreeMap<Long, Set<Long>> bySecond = new TreeMap<>();
    private final Map<String, ToLongFunction<T>> sortKeys;
    private final Map<String, TreeMap<Long, Set<Long>>> indexes = new HashMap<>();

    EntityTable(String name) {
        this(name, Map.of());
    }

    /** A table that also indexes these sort keys ({@code created_at}, {@code complete_till}...) besides the id. */
    EntityTable(String name, Map<String, ToLongFunction<T>> sortKeys) {
        this.name = name;
        this.sortKeys = Map.copyOf(sortKeys);
        sortKeys.keySet().forEach(key -> indexes.put(key, new TreeMap<>()));
    }

    /** Adds the record or replaces the live one with its id, re-indexed by its (maybe new) {@code updated_at}. */
    T put(T record) {
        T previous = live.put(record.id(), record);
        if (previous != null) {
            unindex(previous);
        }
        bySecond.computeIfAbsent(record.updatedAt(), s -> new LinkedHashSet<>()).add(record.id());
        sortKeys.forEach((key, value) -> indexes.get(key)
                .computeIfAbsent(value.applyAsLong(record), s -> new LinkedHashSet<>()).add(record.id()));
        return record;
    }

    T require(long id) {
        T record = live.get(id);
        if (record == null) {
            throw new IllegalArgumentException("no live " + name + " " + id);
        }
        return record;
    }

    T live(long id) {
        return live.get(id);
    }

    boolean isLive(long id) {
        return live.containsKey(id);
    }

    /** Moves the live record into the bin, its {@code updated_at} unchanged. */
    T delete(long id) {
        T record = require(id);
        unindex(record);
        live.remove(id);
        deleted.put(id, record);
        return record;
    }

    /** Brings a record back from the bin into the lists, its {@code updated_at} unchanged. */
    T restore(long id) {
        T record = deleted.remove(id);
        if (record == null) {
            throw new IllegalArgumentException(name + " " + id + " is not in the bin");
        }
        return put(record);
    }

    TreeMap<Long, T> liveView() {
        return live;
    }

    TreeMap<Long, T> deletedView() {
        return deleted;
    }

    /** Live ids in a random order, for picking random records to touch. */
    List<Long> shuffledIds(Random random) {
        List<Long> ids = new ArrayList<>(live.keySet());
        Collections.shuffle(ids, random);
        return ids;
    }

    /**
     * One page of the list: {@code filter[id][]} (ids ascending), or the {@code updated_at} range (both bounds
     * inclusive, ignored when the account ignores it) in {@code updated_at} or {@code id} order.
     */
    List<T> page(ListQuery query, boolean fromBin, Predicate<? super T> matches, boolean ignoreUpdatedAt,
            Random tieOrder) {
        Stream<T> matching;
        if (fromBin) {
            matching = deleted.values().stream();
        } else if (query.ids() != null && !query.ids().isEmpty()) {
            matching = query.ids().stream().distinct().map(live::get).filter(Objects::nonNull)
                    .sorted(Comparator.comparingLong(SimRecord::id));
        } else {
            matching = ordered(query, ignoreUpdatedAt, tieOrder);
        }
        int limit = query.pageSize();
        return matching.filter(matches).skip((long) (query.pageNumber() - 1) * limit).limit(limit).toList();
    }

    private Stream<T> ordered(ListQuery query, boolean ignoreUpdatedAt, Random tieOrder) {
        NavigableMap<Long, Set<Long>> seconds = ignoreUpdatedAt ? bySecond
                : bySecond.subMap(query.updatedFrom() == null ? Long.MIN_VALUE : query.updatedFrom(), true,
                        query.updatedTo() == null ? Long.MAX_VALUE : query.updatedTo(), true);
        if ("id".equals(query.orderField())) {
            Comparator<T> byId = Comparator.comparingLong(SimRecord::id);
            return seconds.values().stream().flatMap(Collection::stream).map(live::get)
                    .sorted(query.descending() ? byId.reversed() : byId);
        }
        NavigableMap<Long, Set<Long>> inOrder = query.descending() ? seconds.descendingMap() : seconds;
        return inOrder.values().stream().flatMap(tied -> inArbitraryOrder(tied, tieOrder)).map(live::get);
    }

    private static Stream<Long> inArbitraryOrder(Set<Long> tiedIds, Random tieOrder) {
        if (tiedIds.size() == 1) {
            return tiedIds.stream();
        }
        List<Long> shuffled = new ArrayList<>(tiedIds);
        Collections.shuffle(shuffled, tieOrder);
        return shuffled.stream();
    }

    // ---- the generic lists (tasks, notes...): any sort key, filters applied by the list

    @Override
    public T get(long id) {
        return live.get(id);
    }

    @Override
    public Stream<T> inOrder(String key, boolean descending, Long from, Long to, Random tieOrder) {
        if ("updated_at".equals(key)) {
            NavigableMap<Long, Set<Long>> seconds = bySecond.subMap(from == null ? Long.MIN_VALUE : from, true,
                    to == null ? Long.MAX_VALUE : to, true);
            return (descending ? seconds.descendingMap() : seconds).values().stream()
                    .flatMap(tied -> inArbitraryOrder(tied, tieOrder)).map(live::get);
        }
        Stream<T> ordered;
        if ("id".equals(key)) {
            ordered = (descending ? live.descendingMap() : live).values().stream();
        } else {
            TreeMap<Long, Set<Long>> index = indexes.get(key);
            if (index == null) {
                throw new IllegalArgumentException(name + " has no index by " + key);
            }
            ordered = (descending ? index.descendingMap() : index).values().stream()
                    .flatMap(tied -> inArbitraryOrder(tied, tieOrder)).map(live::get);
        }
        return from == null && to == null ? ordered
                : ordered.filter(record -> (from == null || record.updatedAt() >= from)
                        && (to == null || record.updatedAt() <= to));
    }

    @Override
    public ToLongFunction<T> key(String key) {
        return switch (key) {
            case "id" -> SimRecord::id;
            case "updated_at" -> SimRecord::updatedAt;
            default -> {
                ToLongFunction<T> indexed = sortKeys.get(key);
                if (indexed == null) {
                    throw new IllegalArgumentException(name + " has no sort key " + key);
                }
                yield indexed;
            }
        };
    }

    private void unindex(T record) {
        unindex(bySecond, record.updatedAt(), record.id());
        sortKeys.forEach((key, value) -> unindex(indexes.get(key), value.applyAsLong(record), record.id()));
    }

    private static void unindex(TreeMap<Long, Set<Long>> index, long value, long id) {
        Set<Long> ids = index.get(value);
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) {
                index.remove(value);
            }
        }
    }
}
