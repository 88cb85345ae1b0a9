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
 * The account's tasks, as {@code GET /api/v4/tasks} lists them, and the changes a sales team makes to them. There is no
 * bin for tasks: a deleted task vanishes from the list and only the event log's {@code task_deleted} tells of it. Every
 * method holds the account's lock.
 */
public final class SimTasks {

    private final SimulatedAccount account;
    private final EntityTable<SimTask> table = new EntityTable<>("task",
            Map.of("created_at", SimTask::createdAt, "complete_till", SimTask::completeTill));
    private final TaskGenerator generator;
    private final List<Consumer<SimQuery>> listeners = new CopyOnWriteArrayList<>();

    SimTasks(SimulatedAccount account, long seed) {
        this.account = account;
        this.generator = new TaskGenerator(seed ^ 0x7A5C5L, 50_000_001L);
    }

    /**
     * Adds tasks created and last changed within {@code history} before now, on random live leads (most), contacts and
     * companies, or on nothing at all (about one in fifteen).
     */
    public List<SimTask> add(int count, Duration history) {
        return account.locked(() -> {
            Random random = generator.random();
            long[] leads = account.liveIds("leads"), contacts = account.liveIds("contacts"),
                    companies = account.liveIds("companies");
            List<SimTask> added = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long[] times = account.spread(history, random);
                int draw = random.nextInt(100);
                long[] pool = draw < 65 ? leads : draw < 85 ? contacts : draw < 93 ? companies : new long[0];
                String entity = pool.length == 0 ? null : draw < 65 ? "leads" : draw < 85 ? "contacts" : "companies";
                Long parent = pool.length == 0 ? null : pool[random.nextInt(pool.length)];
                added.add(table.put(generator.task(times[0], times[1], entity, parent, account.now())));
            }
            return added;
        });
    }

    /** Adds one task on this entity ({@code leads}, {@code contacts}, {@code companies}; both null: on nothing). */
    public SimTask add(String entityType, Long entityId, long createdAt) {
        return account.locked(() -> table.put(generator.task(createdAt, createdAt, entityType, entityId, account.now())));
    }

    /** A salesperson changes the task's text or deadline now. */
    public SimTask edit(long id) {
        return account.locked(() -> table.put(generator.edit(table.require(id), account.now())));
    }

    /** The task is done now, with a result written about half the time. */
    public SimTask complete(long id) {
        return account.locked(() -> table.put(generator.complete(table.require(id), account.now())));
    }

    /** The task is done now with this result ({@code null}: none, the API's {@code result: []}). */
    public SimTask complete(long id, String result) {
        return account.locked(() -> table.put(table.require(id).completed(result, account.now(), generator.user())));
    }

    /** A user deletes the task now: it leaves the list and {@code task_deleted} is logged. */
    public void delete(long id) {
        account.lockedRun(() -> deleteAll(List.of(id), account.now()));
    }

    /** Deletes these tasks, every {@code task_deleted} stamped with {@code second}. */
    public void deleteAll(Collection<Long> ids, long second) {
        account.lockedRun(() -> ids.forEach(id -> {
            table.delete(id);
            account.logEvent("task_deleted", "task", id, second, generator.user(), null, null);
        }));
    }

    /**
     * A team at work: {@code count} changes now, each a new task on a random live lead, or an edit, completion or
     * (rarely) deletion of a random task; returns the ids touched.
     */
    public List<Long> workOnRandom(int count) {
        return account.locked(() -> {
            Random random = generator.random();
            List<Long> ids = table.shuffledIds(random);
            long[] leads = account.liveIds("leads");
            List<Long> touched = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int draw = random.nextInt(10);
                if ((draw < 3 || ids.size() <= i) && leads.length > 0) {
                    touched.add(add("leads", leads[random.nextInt(leads.length)], account.now()).id());
                } else if (i < ids.size()) {
                    long id = ids.get(i);
                    if (draw < 6) {
                        edit(id);
                    } else if (draw < 9) {
                        complete(id);
                    } else {
                        delete(id);
                    }
                    touched.add(id);
                }
            }
            return touched;
        });
    }

    /** A robot's bulk change: {@code count} tasks (new ones when there are too few) all stamped with one second. */
    public List<Long> stampSecond(long second, int count) {
        return account.locked(() -> {
            List<Long> ids = table.shuffledIds(generator.random());
            List<Long> stamped = new ArrayList<>(ids.subList(0, Math.min(count, ids.size())));
            stamped.forEach(id -> table.put(table.live(id).stampedAt(second)));
            while (stamped.size() < count) {
                stamped.add(table.put(generator.task(second - 60, second, null, null, account.now())).id());
            }
            return stamped;
        });
    }

    /** Runs before every tasks request is answered: how tests change tasks while a sync pages them. */
    public void onRequest(Consumer<SimQuery> listener) {
        listeners.add(listener);
    }

    public void clearListeners() {
        listeners.clear();
    }

    // ---- what tests compare the database with

    /** The tasks the list shows now, by id. */
    public Map<Long, SimTask> live() {
        return account.locked(() -> new LinkedHashMap<>(table.liveView()));
    }

    /** The ids of deleted tasks (which the API no longer shows anywhere). */
    public Set<Long> deletedIds() {
        return account.locked(() -> new TreeSet<>(table.deletedView().keySet()));
    }

    public SimTask get(long id) {
        return account.locked(() -> table.live(id));
    }

    public int size() {
        return account.locked(() -> table.liveView().size());
    }

    // ---- for the list

    EntityTable<SimTask> table() {
        return table;
    }

    void beforeRequest(SimQuery query) {
        listeners.forEach(listener -> listener.accept(query));
    }
}
