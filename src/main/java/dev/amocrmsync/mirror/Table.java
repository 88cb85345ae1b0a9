package dev.amocrmsync.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The table an entity is mirrored into, and every statement the engine runs on it, written once for all entities: the
 * page upsert (newest version wins, an unchanged row is not written, a deletion newer than the version held survives
 * it), the deletion flags and what a run asks of the table. Rows arrive as one JSON array of the row records
 * (snake_case keys), so a page is one statement whatever its size.
 * <p>
 * Tables differ in their name, id column and type (the deals keep amoCRM's id as text, as the original script did),
 * plain columns, times (unix seconds in the rows, timestamptz in the table), whether {@code metadata} is merged into
 * what the row held (the deals: keys the original script wrote survive), an optional constant partition column (one
 * notes table for the notes of leads, contacts and companies, whose ids may collide) and the statements that keep the
 * row's links after a write.
 *
 * @param <R> the row record
 */
public final class Table<R> {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String name;
    private final String id;
    private final boolean textId;
    private final Optional<Partition> partition;
    private final List<String> columns;
    private final List<String> times;
    private final boolean mergesMetadata;
    private final List<String> afterWrite;
    private final Function<R, String> idOf;
    private final String upsert;

    /** A constant column that, with the id, keys a row: the notes of leads, contacts and companies share a table. */
    public record Partition(String column, String value) {

        public Partition {
            if (!NAME.matcher(column).matches() || !NAME.matcher(value).matches()) {
                throw new IllegalArgumentException("not a plain partition: " + column + " = " + value);
            }
        }
    }

    private Table(Builder<R> builder) {
        this.name = builder.name;
        this.id = builder.id;
        this.textId = builder.textId;
        this.partition = Optional.ofNullable(builder.partition);
        this.columns = List.copyOf(builder.columns);
        this.times = List.copyOf(builder.times);
        this.mergesMetadata = builder.mergesMetadata;
        this.afterWrite = List.copyOf(builder.afterWrite);
        this.idOf = builder.idOf;
        Stream.concat(Stream.of(name, id), Stream.concat(columns.stream().map(Table::columnName), times.stream()))
                .filter(part -> !NAME.matcher(part).matches()).findFirst().ifPresent(part -> {
                    throw new IllegalArgumentException("not a plain SQL name: " + part);
                });
        this.upsert = buildUpsert();
    }

    /** A table keyed by a bigint id column. */
    public static <R> Builder<R> named(String name, String idColumn, Function<R, Long> id) {
        return new Builder<R>(name, idColumn, false, row -> Long.toString(id.apply(row)));
    }

    /** A table keyed by a text id column holding amoCRM's numeric id ({@code amocrm_deals}, as the original had it). */
    public static <R> Builder<R> namedWithTextId(String name, String idColumn, Function<R, String> id) {
        return new Builder<R>(name, idColumn, true, id);
    }

    public static final class Builder<R> {
        private final String name;
        private final String id;
        private final boolean textId;
        private final Function<R, String> idOf;
        private Partition partition;
        private final List<String> columns = new ArrayList<>();
        private final List<String> times = new ArrayList<>();
        private boolean mergesMetadata;
        private final List<String> afterWrite = new ArrayList<>();

        private Builder(String name, String id, boolean textId, Function<R, String> idOf) {
            this.name = name;
            this.id = id;
            this.textId = textId;
            this.idOf = idOf;
        }

        /** Plain columns as {@code name type}, in the row's JSON under the same name. */
        public Builder<R> columns(String... columns) {
            this.columns.addAll(List.of(columns));
            return this;
        }

        /** Columns that arrive as unix seconds and are stored as timestamptz ({@code updated_at} always is). */
        public Builder<R> times(String... times) {
            this.times.addAll(List.of(times));
            return this;
        }

        /** The rows of this table all have {@code column = value}, which keys them with the id. */
        public Builder<R> partition(String column, String value) {
            this.partition = new Partition(column, value);
            return this;
        }

        /** {@code metadata} is merged into what the row held, not replaced: keys another writer put there survive. */
        public Builder<R> mergingMetadata() {
            this.mergesMetadata = true;
            return this;
        }

        /**
         * Statements run after every write in the same transaction, with {@code :ids} the JSON array of the ids written
         * (as text): the links a written row lists replace those it had.
         */
        public Builder<R> afterWrite(String... statements) {
            this.afterWrite.addAll(List.of(statements));
            return this;
        }

        public Table<R> build() {
            return new Table<>(this);
        }
    }

    public String name() {
        return name;
    }

    /** The column holding amoCRM's id. */
    public String idColumn() {
        return id;
    }

    /** The row's amoCRM id, as text. */
    public String id(R row) {
        return idOf.apply(row);
    }

    public Optional<Partition> partition() {
        return partition;
    }

    List<String> afterWrite() {
        return afterWrite;
    }

    String upsert() {
        return upsert;
    }

    private String buildUpsert() {
        List<String> names = columns.stream().map(Table::columnName).toList();
        String record = Stream.of(List.of(id + (textId ? " text" : " bigint")), columns,
                times.stream().map(t -> t + " bigint").toList(), List.of("updated_at bigint", "content_hash text"))
                .flatMap(List::stream).collect(Collectors.joining(", "));
        List<String> inserted = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        partition.ifPresent(p -> {
            inserted.add(p.column());
            selected.add("'" + p.value() + "'");
        });
        inserted.add(id);
        selected.add(id);
        inserted.addAll(names);
        selected.addAll(names);
        times.forEach(t -> {
            inserted.add(t);
            selected.add("to_timestamp(" + t + ")");
        });
        inserted.addAll(List.of("updated_at", "content_hash", "synced_at"));
        selected.addAll(List.of("to_timestamp(updated_at)", "content_hash", "now()"));
        List<String> set = new ArrayList<>();
        names.forEach(n -> set.add(n.equals("metadata") && mergesMetadata
                ? "metadata = COALESCE(d.metadata, CAST('{}' AS jsonb)) || EXCLUDED.metadata"
                : n + " = EXCLUDED." + n));
        times.forEach(t -> set.add(t + " = EXCLUDED." + t));
        return """
                WITH incoming AS (
                    SELECT DISTINCT ON (r.%2$s) r.*, EXISTS (SELECT 1 FROM %1$s x WHERE x.%2$s = r.%2$s%7$s) AS existed
                    FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(%3$s)
                    ORDER BY r.%2$s, r.updated_at DESC
                ), written AS (
                    INSERT INTO %1$s AS d (%4$s)
                    SELECT %5$s FROM incoming
                    ON CONFLICT (%8$s) DO UPDATE SET %6$s, updated_at = EXCLUDED.updated_at,
                        content_hash = EXCLUDED.content_hash, synced_at = now(),
                        is_deleted = COALESCE(d.is_deleted AND d.deleted_at > EXCLUDED.updated_at, false),
                        deleted_at = CASE WHEN d.is_deleted AND d.deleted_at > EXCLUDED.updated_at THEN d.deleted_at END
                    WHERE d.updated_at IS NULL OR d.updated_at < EXCLUDED.updated_at
                       OR (d.updated_at = EXCLUDED.updated_at
                           AND (d.content_hash IS DISTINCT FROM EXCLUDED.content_hash
                                OR (d.is_deleted AND NOT COALESCE(d.deleted_at > EXCLUDED.updated_at, false))))
                    RETURNING d.%2$s
                )
                SELECT CAST(w.%2$s AS text), i.existed FROM written w JOIN incoming i USING (%2$s)
                """.formatted(name, id, record, String.join(", ", inserted), String.join(", ", selected),
                String.join(", ", set), inPartition("x"), partition.map(p -> p.column() + ", ").orElse("") + id);
    }

    /** {@code AND alias.column = 'value'} for a partitioned table, else nothing. */
    String inPartition(String alias) {
        return partition.map(p -> " AND " + alias + "." + p.column() + " = '" + p.value() + "'").orElse("");
    }

    /** {@code WHERE column = 'value'} for a partitioned table, else nothing. */
    private String partitionOnly() {
        return partition.map(p -> " WHERE " + p.column() + " = '" + p.value() + "'").orElse("");
    }

    /** An id given as JSON text, as the column holds it. */
    private String typed(String text) {
        return textId ? text : "CAST(" + text + " AS bigint)";
    }

    /** A deletion older than the row's version is stale: the item was restored and edited since. */
    String markDeleted() {
        return """
                UPDATE %1$s AS d SET is_deleted = true, deleted_at = to_timestamp(x.at), synced_at = now()
                FROM (SELECT %3$s AS id, CAST(value AS bigint) AS at
                      FROM jsonb_each_text(CAST(CAST(:changes AS text) AS jsonb))) AS x
                WHERE d.%2$s = x.id%4$s AND NOT d.is_deleted
                  AND (d.updated_at IS NULL OR d.updated_at <= to_timestamp(x.at))
                """.formatted(name, id, typed("key"), inPartition("d"));
    }

    String markRestored() {
        return """
                UPDATE %1$s AS d SET is_deleted = false, deleted_at = NULL, synced_at = now()
                FROM (SELECT %3$s AS id, CAST(value AS bigint) AS at
                      FROM jsonb_each_text(CAST(CAST(:changes AS text) AS jsonb))) AS x
                WHERE d.%2$s = x.id%4$s AND d.is_deleted AND d.deleted_at <= to_timestamp(x.at)
                """.formatted(name, id, typed("key"), inPartition("d"));
    }

    /**
     * Flags items amoCRM says are deleted now (its bin, read after a full scan; a full sync's sweep), whatever the
     * version held: the newest word there is. Dated no earlier than the version held, so the upsert's newest-wins rule
     * keeps the flag until a newer version is read.
     */
    String markGone() {
        return """
                UPDATE %1$s AS d SET is_deleted = true, deleted_at = GREATEST(to_timestamp(x.at), d.updated_at),
                       synced_at = now()
                FROM (SELECT %3$s AS id, CAST(value AS bigint) AS at
                      FROM jsonb_each_text(CAST(CAST(:changes AS text) AS jsonb))) AS x
                WHERE d.%2$s = x.id%4$s AND NOT d.is_deleted
                """.formatted(name, id, typed("key"), inPartition("d"));
    }

    /** A full sync read these items in amoCRM's normal list: alive, whatever an old flag says. */
    String markAlive() {
        return """
                UPDATE %1$s AS d SET is_deleted = false, deleted_at = NULL, synced_at = now()
                WHERE d.is_deleted%3$s
                  AND d.%2$s IN (SELECT %4$s FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS v)
                """.formatted(name, id, inPartition("d"), typed("v"));
    }

    String existing() {
        return """
                SELECT CAST(d.%2$s AS text) FROM %1$s d
                WHERE d.%2$s IN (SELECT %4$s FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS v)%3$s
                """.formatted(name, id, inPartition("d"), typed("v"));
    }

    /** The ids of the rows not flagged deleted, as text: what a full sync's sweep compares with what it read. */
    String alive() {
        return "SELECT CAST(%2$s AS text) FROM %1$s WHERE NOT is_deleted%3$s".formatted(name, id, inPartition(name));
    }

    /** Two counts: the rows not flagged deleted, and those flagged deleted. */
    public String liveAndDeleted() {
        return "SELECT count(*) FILTER (WHERE NOT is_deleted), count(*) FILTER (WHERE is_deleted) FROM %1$s%2$s"
                .formatted(name, partitionOnly());
    }

    /** The newest {@code updated_at} as unix seconds, and whether there is any row: {@link Held}. */
    String held() {
        return """
                SELECT (SELECT CAST(extract(epoch FROM max(updated_at)) AS bigint) FROM %1$s%2$s),
                       EXISTS (SELECT 1 FROM %1$s%2$s)
                """.formatted(name, partitionOnly());
    }

    /**
     * @param newest the newest {@code updated_at} held, empty when no row has one
     * @param rows whether the table holds any row: rows the original script wrote may have no {@code updated_at}
     */
    public record Held(Optional<Long> newest, boolean rows) {

        static Held of(Object[] columns) {
            return new Held(Optional.ofNullable(columns[0] == null ? null : ((Number) columns[0]).longValue()),
                    (Boolean) columns[1]);
        }
    }

    private static String columnName(String column) {
        return column.split(" ")[0];
    }
}
