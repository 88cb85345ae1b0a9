package dev.amocrmsync.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Everything the engine knows about one kind of amoCRM item: where amoCRM lists it (or which events of its log it
 * is), how a page becomes rows, the table that holds them, how its deletions can be seen, and how it is named in
 * settings, logs, metrics, webhooks and the custom-field views. The run, its progress lines, the metrics,
 * {@code AMOCRM_SYNC_ENTITIES}, webhooks and deletions follow from this; the engine names no entity.
 *
 * @param <R> a row of its table
 */
public final class Entity<R> {

    private final String name;
    private final String one;
    private final String rowsCalled;
    private final ItemList list;
    private final EventLog<R> events;
    private final Table<R> table;
    private final Supplier<Uni<RowMapper<R>>> mapping;
    private final Deletions deletions;
    private final Optional<String> customFields;
    private final List<String> webhookLists;
    private final String webhookNotesOf;
    private final Function<R, String> verbose;
    private final int order;
    private final boolean original;
    private final String group;

    private Entity(Builder<R> builder) {
        this.name = Objects.requireNonNull(builder.name);
        this.one = Objects.requireNonNull(builder.one);
        this.rowsCalled = builder.rowsCalled == null ? name : builder.rowsCalled;
        this.list = builder.list;
        this.events = builder.events;
        if ((list == null) == (events == null)) {
            throw new IllegalArgumentException(name + " must be read from either a list or the event log");
        }
        this.table = Objects.requireNonNull(builder.table);
        this.mapping = list == null ? () -> Uni.createFrom().item(RowMapper.none()) : Objects.requireNonNull(builder.mapping);
        this.deletions = builder.deletions;
        this.customFields = Optional.ofNullable(builder.customFields);
        this.webhookLists = List.copyOf(builder.webhookLists);
        this.webhookNotesOf = builder.webhookNotesOf;
        this.verbose = builder.verbose;
        this.order = builder.order;
        this.original = builder.original;
        this.group = builder.group;
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not an entity name: " + name);
        }
    }

    /**
     * @param name how settings, state, reports and metrics name it ({@code leads}, {@code tasks}, {@code lead_notes})
     * @param one one of them in messages and the event log ({@code lead}, {@code task}, {@code note})
     * @param order where it comes in reading and reports: lower first
     */
    public static <R> Builder<R> named(String name, String one, int order) {
        return new Builder<R>(name, one, order);
    }

    public static final class Builder<R> {
        private final String name;
        private final String one;
        private final int order;
        private String rowsCalled;
        private ItemList list;
        private EventLog<R> events;
        private Table<R> table;
        private Supplier<Uni<RowMapper<R>>> mapping;
        private Deletions deletions = Deletions.NONE;
        private String customFields;
        private final List<String> webhookLists = new ArrayList<>();
        private String webhookNotesOf;
        private Function<R, String> verbose;
        private boolean original;
        private String group;

        private Builder(String name, String one, int order) {
            this.name = name;
            this.one = one;
            this.order = order;
        }

        /** A name that selects it with others of the same description ({@code notes}: the notes of every list). */
        public Builder<R> partOf(String group) {
            this.group = group;
            return this;
        }

        /** What its rows are called in log lines, when not its name: a lead's row is a deal. */
        public Builder<R> rowsCalled(String rowsCalled) {
            this.rowsCalled = rowsCalled;
            return this;
        }

        public Builder<R> list(ItemList list) {
            this.list = list;
            return this;
        }

        public Builder<R> events(EventLog<R> events) {
            this.events = events;
            return this;
        }

        public Builder<R> table(Table<R> table) {
            this.table = table;
            return this;
        }

        /** Opens the mapping of a list's pages for one run (the leads read status names at most once a run). */
        public Builder<R> mapping(Supplier<Uni<RowMapper<R>>> mapping) {
            this.mapping = mapping;
            return this;
        }

        public Builder<R> deletions(Deletions deletions) {
            this.deletions = deletions;
            return this;
        }

        /** The expression on its table's row that holds {@code custom_fields_values}: it gets a typed view. */
        public Builder<R> customFields(String expression) {
            this.customFields = expression;
            return this;
        }

        /** The keys its webhook deliveries come under ({@code leads} for {@code leads[update][0][id]}). */
        public Builder<R> webhooks(String... lists) {
            this.webhookLists.addAll(List.of(lists));
            return this;
        }

        /** Its items are the notes a {@code note} webhook item under this parent list names ({@code note.id}). */
        public Builder<R> webhookNotesOf(String parentList) {
            this.webhookNotesOf = parentList;
            return this;
        }

        /** The line a written row gets in a verbose run (the original script's {@code ✓ id (RentProg: ...)}). */
        public Builder<R> verbose(Function<R, String> verbose) {
            this.verbose = verbose;
            return this;
        }

        /**
         * The entity the original script mirrored: its log lines keep that script's shape (no entity prefix) and its
         * metrics keep their first names ({@code amocrm_sync_leads_read_total}, ...), which dashboards know.
         */
        public Builder<R> asTheOriginalScriptDid() {
            this.original = true;
            return this;
        }

        public Entity<R> build() {
            return new Entity<>(this);
        }
    }

    public String name() {
        return name;
    }

    public String one() {
        return one;
    }

    public String rowsCalled() {
        return rowsCalled;
    }

    /** Its list, when amoCRM lists it; empty for an event-log entity. */
    public Optional<ItemList> list() {
        return Optional.ofNullable(list);
    }

    /** Its event types and row mapping, when it is read from the event log. */
    public Optional<EventLog<R>> events() {
        return Optional.ofNullable(events);
    }

    public Table<R> table() {
        return table;
    }

    /** Opens the mapping for one run. */
    public Uni<RowMapper<R>> openMapper() {
        return mapping.get();
    }

    public Deletions deletions() {
        return deletions;
    }

    public Optional<String> customFields() {
        return customFields;
    }

    public List<String> webhookLists() {
        return webhookLists;
    }

    /** The parent list whose {@code note} webhook items name one of its items, if any. */
    public Optional<String> webhookNotesOf() {
        return Optional.ofNullable(webhookNotesOf);
    }

    /** The verbose line of a written row, empty when the entity has none. */
    public Optional<String> verbose(R row) {
        return verbose == null ? Optional.empty() : Optional.ofNullable(verbose.apply(row));
    }

    public int order() {
        return order;
    }

    public boolean original() {
        return original;
    }

    /** The name that selects it with others, if any ({@code notes}). */
    public Optional<String> group() {
        return Optional.ofNullable(group);
    }

    @Override
    public String toString() {
        return name;
    }
}
