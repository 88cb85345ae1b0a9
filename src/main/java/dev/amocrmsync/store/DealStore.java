package dev.amocrmsync.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code amocrm_deals}: the mirror itself. A page is upserted with ONE statement whatever its size; an older version of
 * a lead never overwrites a newer one; an unchanged lead is not written at all. Callers provide the transaction.
 */
@ApplicationScoped
public class DealStore implements MirrorTable<DealRow> {

    // Rows arrive as one JSON array. A row is written when it is new, newer, or the same second with other content.
    // A row flagged deleted stays deleted unless this version is newer than the deletion (a restored lead).
    private static final String UPSERT = """
            WITH incoming AS (
                SELECT DISTINCT ON (r.amocrm_deal_id) r.*,
                       EXISTS (SELECT 1 FROM amocrm_deals x WHERE x.amocrm_deal_id = r.amocrm_deal_id) AS existed
                FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS r(
                    amocrm_deal_id text, name text, price numeric, status_id bigint, status_label text,
                    pipeline_id bigint, pipeline_name text, responsible_user_id bigint, loss_reason_id bigint,
                    created_by bigint, updated_by bigint, created_at bigint, updated_at bigint, closed_at bigint,
                    closest_task_at bigint, custom_fields jsonb, metadata jsonb, content_hash text)
                ORDER BY r.amocrm_deal_id, r.updated_at DESC
            ), written AS (
                INSERT INTO amocrm_deals AS d (amocrm_deal_id, name, price, status_id, status_label, pipeline_id,
                    pipeline_name, responsible_user_id, loss_reason_id, created_by, updated_by, created_at, updated_at,
                    closed_at, closest_task_at, custom_fields, metadata, content_hash, synced_at)
                SELECT amocrm_deal_id, name, price, status_id, status_label, pipeline_id, pipeline_name,
                       responsible_user_id, loss_reason_id, created_by, updated_by, to_timestamp(created_at),
                       to_timestamp(updated_at), to_timestamp(closed_at), to_timestamp(closest_task_at), custom_fields,
                       metadata, content_hash, now()
                FROM incoming
                ON CONFLICT (amocrm_deal_id) DO UPDATE SET
                    name = EXCLUDED.name, price = EXCLUDED.price, status_id = EXCLUDED.status_id,
                    status_label = EXCLUDED.status_label, pipeline_id = EXCLUDED.pipeline_id,
                    pipeline_name = EXCLUDED.pipeline_name, responsible_user_id = EXCLUDED.responsible_user_id,
                    loss_reason_id = EXCLUDED.loss_reason_id, created_by = EXCLUDED.created_by,
                    updated_by = EXCLUDED.updated_by, created_at = EXCLUDED.created_at,
                    updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at,
                    closest_task_at = EXCLUDED.closest_task_at, custom_fields = EXCLUDED.custom_fields,
                    metadata = COALESCE(d.metadata, CAST('{}' AS jsonb)) || EXCLUDED.metadata,
                    content_hash = EXCLUDED.content_hash, synced_at = now(),
                    is_deleted = COALESCE(d.is_deleted AND d.deleted_at > EXCLUDED.updated_at, false),
                    deleted_at = CASE WHEN d.is_deleted AND d.deleted_at > EXCLUDED.updated_at THEN d.deleted_at END
                WHERE d.updated_at IS NULL OR d.updated_at < EXCLUDED.updated_at
                   OR (d.updated_at = EXCLUDED.updated_at
                       AND (d.content_hash IS DISTINCT FROM EXCLUDED.content_hash
                            OR (d.is_deleted AND NOT COALESCE(d.deleted_at > EXCLUDED.updated_at, false))))
                RETURNING d.amocrm_deal_id
            )
            SELECT w.amocrm_deal_id, i.existed FROM written w JOIN incoming i USING (amocrm_deal_id)
            """;

    // Rows and cursor commit together, so a PostgreSQL crash can lose only the newest pages along with their
    // cursor, and the next run reads them again: the fsync of every page commit buys nothing.
    private static final String RELAXED_COMMIT = "SET LOCAL synchronous_commit TO off";

    // A deletion older than the row's version is stale: the lead was restored and edited since.
    private static final String MARK_DELETED = """
            UPDATE amocrm_deals AS d SET is_deleted = true, deleted_at = to_timestamp(x.at), synced_at = now()
            FROM (SELECT key AS amocrm_deal_id, CAST(value AS bigint) AS at
                  FROM jsonb_each_text(CAST(CAST(:deletions AS text) AS jsonb))) AS x
            WHERE d.amocrm_deal_id = x.amocrm_deal_id AND NOT d.is_deleted
              AND (d.updated_at IS NULL OR d.updated_at <= to_timestamp(x.at))
            """;

    private static final String MARK_RESTORED = """
            UPDATE amocrm_deals AS d SET is_deleted = false, deleted_at = NULL, synced_at = now()
            FROM (SELECT key AS amocrm_deal_id, CAST(value AS bigint) AS at
                  FROM jsonb_each_text(CAST(CAST(:restorations AS text) AS jsonb))) AS x
            WHERE d.amocrm_deal_id = x.amocrm_deal_id AND d.is_deleted AND d.deleted_at <= to_timestamp(x.at)
            """;

    // A full sync read these leads in amoCRM's normal list: alive, whatever an old flag says (a restore event that
    // aged out of the log, a delete and restore in one second, a webhook deletion stamped with the host's clock).
    private static final String MARK_ALIVE = """
            UPDATE amocrm_deals SET is_deleted = false, deleted_at = NULL, synced_at = now()
            WHERE is_deleted
              AND amocrm_deal_id IN (SELECT jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)))
            """;

    // The bin, read after a full scan, is the newest word there is: no version guard. The deletion is dated no earlier
    // than the version held, so the upsert's newest-wins rule keeps the flag until a newer version is read.
    private static final String MARK_IN_BIN = """
            UPDATE amocrm_deals AS d SET is_deleted = true,
                   deleted_at = GREATEST(to_timestamp(x.at), d.updated_at), synced_at = now()
            FROM (SELECT key AS amocrm_deal_id, CAST(value AS bigint) AS at
                  FROM jsonb_each_text(CAST(CAST(:deletions AS text) AS jsonb))) AS x
            WHERE d.amocrm_deal_id = x.amocrm_deal_id AND NOT d.is_deleted
            """;

    private static final String EXISTING = """
            SELECT amocrm_deal_id FROM amocrm_deals
            WHERE amocrm_deal_id IN (SELECT jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)))
            """;

    private static final String HELD = EntityTableSql.held("amocrm_deals");

    private static final String RELABEL = """
            UPDATE amocrm_deals AS d SET status_label = x.status_name, pipeline_name = x.pipeline_name
            FROM amocrm_pipeline_statuses AS x
            WHERE d.pipeline_id = x.pipeline_id AND d.status_id = x.status_id
              AND (d.status_label IS DISTINCT FROM x.status_name OR d.pipeline_name IS DISTINCT FROM x.pipeline_name)
            """;

    // a written deal's links are what it lists now (metadata.contacts, metadata.company_ids), replaced whole
    private static final String WRITTEN = "SELECT jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))";
    private static final String DROP_CONTACTS = "DELETE FROM amocrm_deal_contacts WHERE amocrm_deal_id IN (" + WRITTEN
            + ")";
    private static final String ADD_CONTACTS = """
            INSERT INTO amocrm_deal_contacts (amocrm_deal_id, amocrm_contact_id, is_main)
            SELECT d.amocrm_deal_id, CAST(c ->> 'id' AS bigint), COALESCE(CAST(c ->> 'is_main' AS boolean), false)
            FROM amocrm_deals d, jsonb_array_elements(d.metadata -> 'contacts') AS c
            WHERE d.amocrm_deal_id IN (%s) AND jsonb_typeof(d.metadata -> 'contacts') = 'array'
              AND c ->> 'id' ~ '^[0-9]{1,18}$'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);
    private static final String DROP_COMPANIES = "DELETE FROM amocrm_deal_companies WHERE amocrm_deal_id IN ("
            + WRITTEN + ")";
    private static final String ADD_COMPANIES = """
            INSERT INTO amocrm_deal_companies (amocrm_deal_id, amocrm_company_id)
            SELECT d.amocrm_deal_id, CAST(c AS bigint)
            FROM amocrm_deals d, jsonb_array_elements_text(d.metadata -> 'company_ids') AS c
            WHERE d.amocrm_deal_id IN (%s) AND jsonb_typeof(d.metadata -> 'company_ids') = 'array'
              AND c ~ '^[0-9]{1,18}$'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);

    private final ObjectMapper json;

    DealStore(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String id(DealRow row) {
        return row.amocrmDealId();
    }

    /** Writes a page of leads in one statement, and the links of those written. */
    @Override
    public Uni<PageWrite> upsert(List<DealRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(PageWrite.NOTHING);
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(RELAXED_COMMIT).executeUpdate()
                        .chain(() -> session.<Object[]> createNativeQuery(UPSERT)
                                .setParameter("rows", HashedRows.of(json, rows)).getResultList()))
                .map(EntityTable::pageWrite)
                .call(this::replaceLinks);
    }

    private Uni<Void> replaceLinks(PageWrite write) {
        if (write.inserted().isEmpty() && write.updated().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = new ArrayList<>(write.inserted());
        ids.addAll(write.updated());
        String written = toJson(ids);
        return Panache.getSession().chain(session -> session.createNativeQuery(DROP_CONTACTS)
                .setParameter("ids", written).executeUpdate()
                .chain(() -> session.createNativeQuery(ADD_CONTACTS).setParameter("ids", written).executeUpdate())
                .chain(() -> session.createNativeQuery(DROP_COMPANIES).setParameter("ids", written).executeUpdate())
                .chain(() -> session.createNativeQuery(ADD_COMPANIES).setParameter("ids", written).executeUpdate()))
                .replaceWithVoid();
    }

    /** Flags these leads deleted at the given unix seconds; returns how many rows changed. */
    @Override
    public Uni<Integer> markDeleted(Map<String, Long> deletedAt) {
        return update(MARK_DELETED, "deletions", deletedAt);
    }

    /** Clears the deletion flag of leads restored at the given unix seconds; returns how many rows changed. */
    @Override
    public Uni<Integer> markRestored(Map<String, Long> restoredAt) {
        return update(MARK_RESTORED, "restorations", restoredAt);
    }

    /** Clears the deletion flag of these leads, read alive by a full sync; returns how many rows changed. */
    @Override
    public Uni<Integer> markAlive(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(MARK_ALIVE).setParameter("ids", toJson(ids)).executeUpdate());
    }

    /** Flags the leads found in amoCRM's bin, dated {@code at} at the earliest; returns how many rows changed. */
    public Uni<Integer> markInBin(Map<String, Long> inBin) {
        return update(MARK_IN_BIN, "deletions", inBin);
    }

    /** Which of these leads the table has already (for a dry run's new/updated counts). */
    @Override
    public Uni<Set<String>> existing(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession()
                .chain(session -> session.<String> createNativeQuery(EXISTING).setParameter("ids", toJson(ids))
                        .getResultList())
                .map(Set::copyOf);
    }

    /** The newest {@code updated_at} (where a database the original script filled left off), and whether any row. */
    @Override
    public Uni<Held> held() {
        return Panache.getSession().chain(session -> session.<Object[]> createNativeQuery(HELD).getSingleResult())
                .map(Held::of);
    }

    /** Copies renamed statuses and pipelines from {@code amocrm_pipeline_statuses} onto the deals. */
    public Uni<Integer> relabel() {
        return Panache.getSession().chain(session -> session.createNativeQuery(RELABEL).executeUpdate());
    }

    private Uni<Integer> update(String sql, String parameter, Map<String, Long> values) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(sql).setParameter(parameter, toJson(values)).executeUpdate());
    }

    private String toJson(Object value) {
        return JsonParameter.of(json, value);
    }
}
