package dev.amocrmsync.store;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code amocrm_webhook_events}: deliveries as received, de-duplicated, until they are applied. */
@ApplicationScoped
public class WebhookEventStore {

    /** A lead event to keep. */
    public record NewEvent(String eventType, long leadId, String dedupeHash, JsonNode payload) {
    }

    /** A received event not applied yet; {@code receivedAt} in unix seconds. */
    public record Pending(long id, String eventType, long leadId, long receivedAt) {
    }

    private static final String RECORD = """
            INSERT INTO amocrm_webhook_events (event_type, entity_type, entity_id, dedupe_hash, payload)
            SELECT x ->> 'eventType', 'lead', CAST(x ->> 'leadId' AS bigint), x ->> 'dedupeHash', x -> 'payload'
            FROM jsonb_array_elements(CAST(CAST(:events AS text) AS jsonb)) AS x
            ON CONFLICT (dedupe_hash) DO NOTHING""";
    private static final String RECORD_MALFORMED = """
            INSERT INTO amocrm_webhook_events (event_type, dedupe_hash, payload, processed_at, error)
            VALUES ('malformed', md5(:body), jsonb_build_object('body', CAST(:body AS text)), now(), :reason)
            ON CONFLICT (dedupe_hash) DO NOTHING""";
    private static final String PENDING = """
            SELECT id, event_type, entity_id, CAST(extract(epoch FROM received_at) AS bigint)
            FROM amocrm_webhook_events WHERE processed_at IS NULL ORDER BY id LIMIT :limit""";
    private static final String MARK_PROCESSED = """
            UPDATE amocrm_webhook_events SET processed_at = now()
            WHERE id IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS bigint))""";

    private final ObjectMapper json;

    WebhookEventStore(ObjectMapper json) {
        this.json = json;
    }

    /** Keeps the events not seen before; returns how many were new. */
    public Uni<Integer> record(List<NewEvent> events) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(RECORD)
                .setParameter("events", JsonParameter.of(json, events)).executeUpdate()));
    }

    /** Keeps a delivery that could not be read, with the reason; it is never applied. */
    public Uni<Void> recordMalformed(String body, String reason) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(RECORD_MALFORMED).setParameter("body", body).setParameter("reason", reason)
                .executeUpdate()))
                .replaceWithVoid();
    }

    public Uni<List<Pending>> pending(int limit) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.<Object[]> createNativeQuery(PENDING)
                .setParameter("limit", limit).getResultList()))
                .map(rows -> rows.stream().map(row -> new Pending(((Number) row[0]).longValue(), (String) row[1],
                        ((Number) row[2]).longValue(), ((Number) row[3]).longValue())).toList());
    }

    /** Marks events applied; runs inside the transaction that applied them. */
    public Uni<Void> markProcessed(List<Long> ids) {
        return Panache.getSession().chain(session -> session.createNativeQuery(MARK_PROCESSED)
                .setParameter("ids", JsonParameter.of(json, ids)).executeUpdate())
                .replaceWithVoid();
    }
}
