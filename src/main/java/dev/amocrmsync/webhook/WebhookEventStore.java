package dev.amocrmsync.webhook;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import dev.amocrmsync.sync.RunLock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * {@code amocrm_webhook_events}: deliveries as received, de-duplicated, claimed by one applier at a time, until they
 * are applied.
 */
@ApplicationScoped
public class WebhookEventStore {

    /**
     * An event to keep: {@code entity} is whose id {@code entityId} is ({@code lead}, {@code contact}, {@code company},
     * as amoCRM's events API names them); {@code occurredAt} is amoCRM's time of it in unix seconds, null when the
     * delivery has none; {@code amoCrmReceivedAt} amoCRM's clock when it arrived (unix seconds), null when this process
     * has not heard amoCRM's clock yet; {@code accountId} and {@code accountSubdomain} the account that delivered it.
     */
    @RegisterForReflection // serialized by Jackson into the statement's parameter
    public record NewEvent(String entity, String eventType, long entityId, String dedupeHash, Long occurredAt,
            Long amoCrmReceivedAt, Long accountId, String accountSubdomain, JsonNode payload) {
    }

    /** An item of a delivery that could not be read: kept (never applied) with the reason, for a look. */
    @RegisterForReflection
    public record SkippedItem(String reason, JsonNode payload) {
    }

    /** A received event not applied yet; {@code amoCrmReceivedAt} amoCRM's clock at its arrival, when known. */
    public record Pending(long id, String entity, String eventType, long entityId, Long amoCrmReceivedAt) {
    }

    /** The applier's claim ran out and another took the events over: nothing of this application may commit. */
    public static final class ClaimLost extends RuntimeException {
        ClaimLost(int claimed, int held) {
            super(held + " of " + claimed + " claimed webhook events were taken over by another applier");
        }
    }

    // transaction-level advisory locks (next to RunLock.KEY): receives are serialized so the comparison with an item's
    // previous event sees every earlier event; claims are serialized so an item's events never go to two appliers at once
    private static final int RECORD_LOCK = RunLock.KEY + 1;
    private static final int CLAIM_LOCK = RunLock.KEY + 2;

    // a claim waiting on a locked table gives up after this and the applier tries again later, its connection free
    private static final Duration CLAIM_WITHIN = Duration.ofSeconds(10);

    // How far back an item's previous event counts for de-duplication of events without a time (amoCRM repeats a
    // delivery it thinks failed within minutes); an older identical event is a new change, applied again harmlessly.
    private static final String REPEAT_WITHIN = "1 hour";

    private static final String STATEMENT_TIMEOUT = "SELECT set_config('statement_timeout', :ms, true)";
    /*
     * A receive is answered 2xx only once its commit is on disk: a database or role set to synchronous_commit = off
     * would acknowledge deliveries a crash of PostgreSQL can still lose, and amoCRM would never send them again.
     */
    private static final String DURABLE = """
            SELECT set_config('statement_timeout', :ms, true),
                   set_config('synchronous_commit', CASE current_setting('synchronous_commit') WHEN 'off' THEN 'on'
                                                    ELSE current_setting('synchronous_commit') END, true)""";
    private static final String LOCK = "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))) AS held";
    /*
     * An event with amoCRM's time is a repeat when its hash was seen; one without (delete, restore) only when it
     * equals the same item's event just before it, in this delivery or stored: delete, restore, delete is three
     * events. An item is an entity and an id (a contact and a lead may share one). Rows are inserted in the delivery's
     * order, which is time order, so ids order an item's events.
     */
    private static final String RECORD = """
            WITH incoming AS (
                SELECT x ->> 'entity' AS entity_type, x ->> 'eventType' AS event_type,
                       CAST(x ->> 'entityId' AS bigint) AS entity_id,
                       x ->> 'dedupeHash' AS dedupe_hash, CAST(x ->> 'occurredAt' AS bigint) AS occurred_at,
                       CAST(x ->> 'amoCrmReceivedAt' AS bigint) AS amocrm_received_at,
                       CAST(x ->> 'accountId' AS bigint) AS account_id, x ->> 'accountSubdomain' AS account_subdomain,
                       x -> 'payload' AS payload, n
                FROM jsonb_array_elements(CAST(CAST(:events AS text) AS jsonb)) WITH ORDINALITY AS e(x, n)),
            compared AS (
                SELECT i.*, coalesce(lag(i.dedupe_hash) OVER (PARTITION BY i.entity_type, i.entity_id ORDER BY i.n),
                        (SELECT last.dedupe_hash FROM (
                            SELECT w.dedupe_hash, w.received_at FROM amocrm_webhook_events w
                            WHERE w.entity_type = i.entity_type AND w.entity_id = i.entity_id ORDER BY w.id DESC LIMIT 1) last
                         WHERE last.received_at > now() - CAST('%s' AS interval))) AS before
                FROM incoming i)
            INSERT INTO amocrm_webhook_events (event_type, entity_type, entity_id, dedupe_hash, occurred_at,
                                               amocrm_received_at, account_id, account_subdomain, payload)
            SELECT c.event_type, c.entity_type, c.entity_id, c.dedupe_hash, c.occurred_at, c.amocrm_received_at,
                   c.account_id, c.account_subdomain, c.payload FROM compared c
            WHERE c.before IS DISTINCT FROM c.dedupe_hash
              AND (c.occurred_at IS NULL
                   OR NOT EXISTS (SELECT 1 FROM amocrm_webhook_events w WHERE w.dedupe_hash = c.dedupe_hash))
            ORDER BY c.n""".formatted(REPEAT_WITHIN);
    private static final String RECORD_SKIPPED = """
            INSERT INTO amocrm_webhook_events (event_type, dedupe_hash, payload, processed_at, error)
            SELECT DISTINCT 'malformed', md5(CAST(x -> 'payload' AS text)), x -> 'payload', now(), x ->> 'reason'
            FROM jsonb_array_elements(CAST(CAST(:skipped AS text) AS jsonb)) AS x
            WHERE NOT EXISTS (SELECT 1 FROM amocrm_webhook_events WHERE dedupe_hash = md5(CAST(x -> 'payload' AS text)))""";
    private static final String RECORD_MALFORMED = """
            INSERT INTO amocrm_webhook_events (event_type, dedupe_hash, payload, processed_at, error)
            SELECT 'malformed', md5(:body), jsonb_build_object('body', CAST(:body AS text)), now(), :reason
            WHERE NOT EXISTS (SELECT 1 FROM amocrm_webhook_events WHERE dedupe_hash = md5(:body))""";
    /*
     * Pending events of the applier's account nobody else holds a live claim on, oldest first; an item (entity and id)
     * with a claimed event is left to its claimer entirely, so its events are applied in order by one applier. Own
     * claims are taken again (a failed try). An event is of the account by its id, or, stored without one, by its
     * subdomain or by naming none (stored before deliveries were checked).
     */
    private static final String CLAIM = """
            WITH claimed AS (
                UPDATE amocrm_webhook_events e SET claimed_by = :me, claimed_at = now()
                WHERE e.id IN (
                    SELECT p.id FROM amocrm_webhook_events p
                    WHERE p.processed_at IS NULL
                      AND (p.account_id = :account
                           OR p.account_id IS NULL AND (p.account_subdomain IS NULL
                                                        OR lower(p.account_subdomain) = lower(:subdomain)))
                      AND NOT EXISTS (SELECT 1 FROM amocrm_webhook_events o
                          WHERE o.processed_at IS NULL AND o.entity_id = p.entity_id AND o.entity_type = p.entity_type
                            AND o.claimed_by <> :me
                            AND o.claimed_at > now() - make_interval(secs => :lease))
                    ORDER BY p.id LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING e.id, e.entity_type, e.event_type, e.entity_id, e.amocrm_received_at)
            SELECT id, entity_type, event_type, entity_id, amocrm_received_at FROM claimed""";
    private static final String MARK_PROCESSED = """
            UPDATE amocrm_webhook_events SET processed_at = now()
            WHERE id IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS bigint))
              AND claimed_by = :me AND processed_at IS NULL""";
    private static final String RELEASE = """
            UPDATE amocrm_webhook_events SET claimed_by = NULL, claimed_at = NULL
            WHERE id IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS bigint))
              AND claimed_by = :me AND processed_at IS NULL""";

    private final ObjectMapper json;

    WebhookEventStore(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Keeps the events not seen before, and the items that could not be read (never applied); returns how many events
     * were new. Completes only once the commit is durable (never with {@code synchronous_commit} off).
     * PostgreSQL itself ends the transaction when a statement takes longer than {@code within} (a lock held on the
     * table, a slow disk), so a caller that stops waiting never leaves a transaction open or a connection out of the
     * pool.
     */
    public Uni<Integer> record(List<NewEvent> events, List<SkippedItem> skipped, Duration within) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(DURABLE).setParameter("ms", Long.toString(within.toMillis())).getSingleResult()
                .chain(() -> session.createNativeQuery(LOCK).setParameter("key", RECORD_LOCK).getSingleResult())
                .chain(() -> skipped.isEmpty() ? Uni.createFrom().item(0)
                        : session.createNativeQuery(RECORD_SKIPPED).setParameter("skipped", JsonParameter.of(json, skipped))
                                .executeUpdate())
                .chain(() -> session.createNativeQuery(RECORD).setParameter("events", JsonParameter.of(json, events))
                        .executeUpdate())));
    }

    /** Keeps a delivery that could not be read, with the reason; it is never applied. */
    public Uni<Void> recordMalformed(String body, String reason) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(RECORD_MALFORMED).setParameter("body", body).setParameter("reason", reason)
                .executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} pending events of the account {@code accountId} ({@code subdomain}) for {@code claimer}
     * for {@code lease}; returns them oldest first. Another account's events are never claimed.
     */
    public Uni<List<Pending>> claim(String claimer, Duration lease, int limit, Long accountId, String subdomain) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(STATEMENT_TIMEOUT).setParameter("ms", Long.toString(CLAIM_WITHIN.toMillis()))
                .getSingleResult()
                .chain(() -> session.createNativeQuery(LOCK).setParameter("key", CLAIM_LOCK).getSingleResult())
                .chain(() -> session.<Object[]> createNativeQuery(CLAIM).setParameter("me", claimer)
                        .setParameter("lease", (double) lease.toSeconds()).setParameter("limit", limit)
                        .setParameter("account", accountId == null ? -1L : accountId)
                        .setParameter("subdomain", String.valueOf(subdomain))
                        .getResultList())))
                .map(rows -> rows.stream().map(row -> new Pending(((Number) row[0]).longValue(), (String) row[1],
                        (String) row[2], ((Number) row[3]).longValue(),
                        row[4] == null ? null : ((Number) row[4]).longValue()))
                        .sorted(Comparator.comparingLong(Pending::id)).toList());
    }

    /**
     * Marks claimed events applied; runs inside the transaction that applied them, and fails it with
     * {@link ClaimLost} when the claim ran out and another applier took any of them over.
     */
    public Uni<Void> markProcessed(String claimer, List<Long> ids) {
        return Panache.getSession().chain(session -> session.createNativeQuery(MARK_PROCESSED)
                .setParameter("ids", JsonParameter.of(json, ids)).setParameter("me", claimer).executeUpdate())
                .invoke(marked -> {
                    if (marked != ids.size()) {
                        throw new ClaimLost(ids.size(), marked);
                    }
                })
                .replaceWithVoid();
    }

    /** Gives claimed events back after a failed try, for any applier's next round. */
    public Uni<Void> release(String claimer, List<Long> ids) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(RELEASE)
                .setParameter("ids", JsonParameter.of(json, ids)).setParameter("me", claimer).executeUpdate()))
                .replaceWithVoid();
    }
}
