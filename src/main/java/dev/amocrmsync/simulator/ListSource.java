package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * What a list pages over: records by id, and all of them in the order of one sort key with ties in a new random
 * order on every call, as a database's {@code ORDER BY key LIMIT} may return them.
 */
interface ListSource<T extends SimRecord> {

    /** The record with this id, or null. */
    T get(long id);

    /**
     * Every record updated within {@code [from, to]} (null: open), in {@code key} order ({@code id},
     * {@code updated_at} or a key the source indexes), ties shuffled with {@code tieOrder}.
     */
    Stream<T> inOrder(String key, boolean descending, Long from, Long to, Random tieOrder);

    /** The value of sort key {@code key} of a record. */
    ToLongFunction<T> key(String key);

    /** A source over a small fixed list (a catalog), sorted on every call: no index needed for a few hundred items. */
    static <T extends SimRecord> ListSource<T> of(List<T> records, Map<String, ToLongFunction<T>> keys) {
        return new ListSource<>() {
            @Override
            public T get(long id) {
                return records.stream().filter(record -> record.id() == id).findFirst().orElse(null);
            }

            @Override
            public Stream<T> inOrder(String key, boolean descending, Long from, Long to, Random tieOrder) {
                List<T> matching = new ArrayList<>();
                records.forEach(record -> {
                    if ((from == null || record.updatedAt() >= from) && (to == null || record.updatedAt() <= to)) {
                        matching.add(record);
                    }
                });
                return sortedWithShuffledTies(matching, key(key), descending, tieOrder).stream();
            }

            @Override
            public ToLongFunction<T> key(String key) {
                return switch (key) {
                    case "id" -> SimRecord::id;
                    case "updated_at" -> SimRecord::updatedAt;
                    default -> {
                        ToLongFunction<T> indexed = keys.get(key);
                        if (indexed == null) {
                            throw new IllegalArgumentException("no sort key " + key);
                        }
                        yield indexed;
                    }
                };
            }
        };
    }

    /** Sorts by {@code key}, records sharing a value in a random order: shuffled first, then sorted stably. */
    static <T> List<T> sortedWithShuffledTies(List<T> records, ToLongFunction<T> key, boolean descending,
            Random tieOrder) {
        List<T> sorted = new ArrayList<>(records);
        Collections.shuffle(sorted, tieOrder);
        Comparator<T> byKey = Comparator.comparingLong(key);
        sorted.sort(descending ? byKey.reversed() : byKey);
        return sorted;
    }
}
