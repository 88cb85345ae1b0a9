package dev.amocrmsync.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The notes of the account's leads, contacts and companies, one table per entity type as
 * {@code GET /api/v4/{leads|contacts|companies}/notes} lists them, and the changes a sales team makes to them. Ids
 * repeat across the entity types. A deleted note vanishes from its list; only a deleted {@code common} note leaves an
 * event ({@code common_note_deleted}, naming its parent). Every method holds the account's lock.
 */
public final class SimNotes {

    /** The entity types with notes, as the API's paths name them. */
    public static final List<String> ENTITIES = List.of("leads", "contacts", "companies");

    private final SimulatedAccount account;
    private final Map<String, EntityTable<SimNote>> tables = new LinkedHashMap<>();
    private final NoteGenerator generator;
    private final List<Consumer<SimQuery>> listeners = new CopyOnWriteArrayList<>();

    SimNotes(SimulatedAccount account, long seed) {
        this.account = account;
        this.generator = new NoteGenerator(seed ^ 0x40735L, 90_000_001L);
        ENTITIES.forEach(entity -> tables.put(entity,
                new EntityTable<>(entity + " note", Map.of("created_at", SimNote::createdAt))));
    }

    /**
     * Adds notes created and last changed within {@code history} before now on random live leads (about 55%), contacts
     * (35%) and companies; their types as a team leaves them, calls on leads and contacts only.
     */
    public List<SimNote> add(int count, Duration history) {
        return account.locked(() -> {
            Random random = generator.random();
            Map<String, long[]> parents = new LinkedHashMap<>();
            ENTITIES.forEach(entity -> parents.put(entity, account.liveIds(entity)));
            List<SimNote> added = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int draw = random.nextInt(100);
                String entity = draw < 55 ? "leads" : draw < 90 ? "contacts" : "companies";
                long[] pool = parents.get(entity);
                if (pool.length == 0) {
                    continue;
                }
                long[] times = account.spread(history, random);
                added.add(table(entity).put(generator.note(entity, pool[random.nextInt(pool.length)], times[0],
                        times[1])));
            }
            return added;
        });
    }

    /** Adds a note of this type ({@code common}, {@code call_in}, {@code attachment}...) to the entity now. */
    public SimNote add(String entity, long parentId, String noteType) {
        return account.locked(() -> table(entity)
                .put(generator.note(entity, parentId, noteType, account.now(), account.now())));
    }

    /**
     * A call now on a lead or contact: incoming or outgoing, answered (with a duration and a recording) or missed
     * (duration 0, no recording).
     */
    public SimNote addCall(String entity, long parentId, boolean incoming, boolean answered) {
        return account.locked(() -> table(entity)
                .put(generator.call(entity, parentId, incoming, answered, account.now())));
    }

    /** A salesperson edits the note now: a text note's text, a call's result, or another note's pin. */
    public SimNote edit(String entity, long id) {
        return account.locked(() -> table(entity).put(generator.edit(table(entity).require(id), account.now())));
    }

    /** A user deletes the note now. */
    public void delete(String entity, long id) {
        account.lockedRun(() -> deleteAll(entity, List.of(id), account.now()));
    }

    /**
     * Deletes these notes of {@code entity} at {@code second}: each leaves its list; a {@code common} one logs
     * {@code common_note_deleted} on its parent with {@code value_before: [{"note": {"id": ...}}]}; other types log
     * nothing, as the API documents no event for them.
     */
    public void deleteAll(String entity, Collection<Long> ids, long second) {
        account.lockedRun(() -> ids.forEach(id -> {
            SimNote note = table(entity).delete(id);
            if (note.noteType().equals("common")) {
                account.logEvent("common_note_deleted", singular(entity), note.entityId(), second, generator.user(),
                        new EventValue.NoteRef(id), null);
            }
        }));
    }

    /**
     * A team at work: {@code count} changes now, each a call on a random lead or contact, a new text note, an edit of a
     * random note, or (rarely) a deletion.
     */
    public void workOnRandom(int count) {
        account.lockedRun(() -> {
            Random random = generator.random();
            for (int i = 0; i < count; i++) {
                int draw = random.nextInt(10);
                String entity = draw < 6 ? (random.nextBoolean() ? "leads" : "contacts") : pickEntity(random);
                long[] parents = account.liveIds(entity);
                if (draw < 4 && parents.length > 0) {
                    addCall(entity, parents[random.nextInt(parents.length)], random.nextBoolean(), random.nextInt(4) > 0);
                } else if (draw < 6 && parents.length > 0) {
                    add(entity, parents[random.nextInt(parents.length)], "common");
                } else {
                    List<Long> ids = table(entity).shuffledIds(random);
                    if (!ids.isEmpty()) {
                        if (draw < 9) {
                            edit(entity, ids.get(0));
                        } else {
                            delete(entity, ids.get(0));
                        }
                    }
                }
            }
        });
    }

    /** A robot's bulk change of {@code count} notes of {@code entity} (new ones when too few), all at one second. */
    public List<Long> stampSecond(String entity, long second, int count) {
        return account.locked(() -> {
            EntityTable<SimNote> table = table(entity);
            List<Long> ids = table.shuffledIds(generator.random());
            List<Long> stamped = new ArrayList<>(ids.subList(0, Math.min(count, ids.size())));
            stamped.forEach(id -> table.put(table.live(id).stampedAt(second)));
            long[] parents = account.liveIds(entity);
            while (stamped.size() < count && parents.length > 0) {
                long parent = parents[generator.random().nextInt(parents.length)];
                stamped.add(table.put(generator.note(entity, parent, second - 60, second)).id());
            }
            return stamped;
        });
    }

    /** Runs before every notes request (of any entity type) is answered. */
    public void onRequest(Consumer<SimQuery> listener) {
        listeners.add(listener);
    }

    public void clearListeners() {
        listeners.clear();
    }

    // ---- what tests compare the database with

    /** The notes of {@code entity} the lists show now, by id (unique within one entity type only). */
    public Map<Long, SimNote> live(String entity) {
        return account.locked(() -> new LinkedHashMap<>(table(entity).liveView()));
    }

    /** The ids of deleted notes of {@code entity}. */
    public Set<Long> deletedIds(String entity) {
        return account.locked(() -> new TreeSet<>(table(entity).deletedView().keySet()));
    }

    /** The deleted notes of {@code entity} as they were when deleted, by id. */
    public Map<Long, SimNote> deleted(String entity) {
        return account.locked(() -> new LinkedHashMap<>(table(entity).deletedView()));
    }

    public SimNote get(String entity, long id) {
        return account.locked(() -> table(entity).live(id));
    }

    /** Live notes of all entity types. */
    public int size() {
        return account.locked(() -> tables.values().stream().mapToInt(t -> t.liveView().size()).sum());
    }

    // ---- for the lists

    EntityTable<SimNote> table(String entity) {
        EntityTable<SimNote> table = tables.get(entity);
        if (table == null) {
            throw new IllegalArgumentException("no notes of " + entity);
        }
        return table;
    }

    void beforeRequest(SimQuery query) {
        listeners.forEach(listener -> listener.accept(query));
    }

    private String pickEntity(Random random) {
        return ENTITIES.get(random.nextInt(ENTITIES.size()));
    }

    static String singular(String entity) {
        return switch (entity) {
            case "leads" -> "lead";
            case "contacts" -> "contact";
            case "companies" -> "company";
            default -> throw new IllegalArgumentException("no entity " + entity);
        };
    }
}
