package dev.amocrmsync.sync;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import dev.amocrmsync.mirror.WindowProgress;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code sync_state} and {@code sync_windows}: each entity's cursor, event cursor and resumable plan. Callers provide
 * the transaction.
 */
@ApplicationScoped
public class SyncStateStore {

    private static final String LOAD_STATE = """
            SELECT CAST(extract(epoch FROM cursor_at) AS bigint), CAST(extract(epoch FROM events_cursor_at) AS bigint),
                   plan_from, plan_to
            FROM sync_state WHERE entity = :entity
            """;
    private static final String LOAD_WINDOWS = """
            SELECT window_no, window_from, window_to, cursor_second, CAST(cursor_ids AS text), done
            FROM sync_windows WHERE entity = :entity ORDER BY window_no
            """;
    private static final String START_PLAN = """
            INSERT INTO sync_state (entity, plan_from, plan_to, updated_at) VALUES (:entity, :from, :to, now())
            ON CONFLICT (entity) DO UPDATE SET plan_from = EXCLUDED.plan_from, plan_to = EXCLUDED.plan_to, updated_at = now()
            """;
    private static final String CLEAR_WINDOWS = "DELETE FROM sync_windows WHERE entity = :entity";
    private static final String SAVE_WINDOW = """
            INSERT INTO sync_windows (entity, window_no, window_from, window_to, cursor_second, cursor_ids, done)
            VALUES (:entity, :number, :from, :to, :cursorSecond, CAST(CAST(:cursorIds AS text) AS jsonb), :done)
            ON CONFLICT (entity, window_no) DO UPDATE SET window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to,
                cursor_second = EXCLUDED.cursor_second, cursor_ids = EXCLUDED.cursor_ids, done = EXCLUDED.done
            """;
    private static final String COMPLETE_PLAN = """
            UPDATE sync_state SET cursor_at = to_timestamp(:cursor), plan_from = NULL, plan_to = NULL, updated_at = now()
            WHERE entity = :entity
            """;
    private static final String SAVE_EVENTS_CURSOR = """
            INSERT INTO sync_state (entity, events_cursor_at, updated_at) VALUES (:entity, to_timestamp(:cursor), now())
            ON CONFLICT (entity) DO UPDATE SET events_cursor_at = EXCLUDED.events_cursor_at, updated_at = now()
            """;

    private static final TypeReference<List<Long>> IDS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    SyncStateStore(ObjectMapper json) {
        this.json = json;
    }

    /** What the runs left for one entity ({@code leads}, {@code contacts}, ...). */
    public Uni<SyncState> load(String entity) {
        return Panache.getSession().chain(session -> session.<Object[]> createNativeQuery(LOAD_STATE)
                .setParameter("entity", entity).getSingleResultOrNull()
                .chain(state -> state == null ? Uni.createFrom().item(SyncState.EMPTY)
                        : session.<Object[]> createNativeQuery(LOAD_WINDOWS).setParameter("entity", entity)
                                .getResultList()
                                .map(windows -> new SyncState(Optional.ofNullable(asLong(state[0])),
                                        Optional.ofNullable(asLong(state[1])),
                                        state[2] == null ? Optional.empty()
                                                : Optional.of(new SyncState.Plan(asLong(state[2]), asLong(state[3]),
                                                        windows.stream().map(this::window).toList()))))));
    }

    /** Freezes the range of a new plan, forgetting the windows of any earlier one. */
    public Uni<Void> startPlan(String entity, long from, long to) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CLEAR_WINDOWS)
                .setParameter("entity", entity).executeUpdate()
                .chain(() -> session.createNativeQuery(START_PLAN).setParameter("entity", entity)
                        .setParameter("from", from).setParameter("to", to).executeUpdate()))
                .replaceWithVoid();
    }

    public Uni<Void> saveWindow(String entity, WindowProgress window) {
        return Panache.getSession().chain(session -> session.createNativeQuery(SAVE_WINDOW)
                .setParameter("entity", entity)
                .setParameter("number", window.number()).setParameter("from", window.from())
                .setParameter("to", window.to()).setParameter("cursorSecond", window.cursorSecond())
                .setParameter("cursorIds", JsonParameter.of(json, window.cursorIds()))
                .setParameter("done", window.done()).executeUpdate())
                .replaceWithVoid();
    }

    /** The plan is done: everything updated up to {@code cursor} is mirrored. */
    public Uni<Void> completePlan(String entity, long cursor) {
        return Panache.getSession().chain(session -> session.createNativeQuery(COMPLETE_PLAN)
                .setParameter("entity", entity).setParameter("cursor", cursor).executeUpdate()
                .chain(() -> session.createNativeQuery(CLEAR_WINDOWS).setParameter("entity", entity).executeUpdate()))
                .replaceWithVoid();
    }

    public Uni<Void> saveEventsCursor(String entity, long cursor) {
        return Panache.getSession().chain(session -> session.createNativeQuery(SAVE_EVENTS_CURSOR)
                .setParameter("entity", entity).setParameter("cursor", cursor).executeUpdate())
                .replaceWithVoid();
    }

    private WindowProgress window(Object[] row) {
        try {
            return new WindowProgress(((Number) row[0]).intValue(), asLong(row[1]), asLong(row[2]), asLong(row[3]),
                    json.readValue((String) row[4], IDS), (Boolean) row[5]);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sync_windows.cursor_ids is not a JSON array of ids", e);
        }
    }

    static Long asLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
