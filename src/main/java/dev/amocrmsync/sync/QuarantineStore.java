package dev.amocrmsync.sync;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import dev.amocrmsync.mirror.Quarantined;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code sync_quarantine}: items set aside with the reason, written in the same transaction as their page. A row is
 * open until its item stores ({@code resolved_at} null): every run reads the open items again by id, and an item set
 * aside again updates its open row (reason, raw, {@code attempts}) instead of adding another.
 */
@ApplicationScoped
public class QuarantineStore {

    /** Why an open row was closed. */
    public enum Resolution {
        /** The item is in its table now. */
        STORED("stored"),
        /** amoCRM no longer lists the item (deleted): nothing is left to store; a restore brings it back by itself. */
        GONE("no longer listed by amoCRM");

        final String text;

        Resolution(String text) {
            this.text = text;
        }
    }

    private static final String ADD = """
            WITH entries AS (
                SELECT x ->> 'amocrmId' AS id, x ->> 'reason' AS reason, x -> 'raw' AS raw
                FROM jsonb_array_elements(CAST(CAST(:entries AS text) AS jsonb)) AS x
            ), again AS (
                UPDATE sync_quarantine AS q SET reason = e.reason, raw = e.raw, retried_at = now(),
                    attempts = q.attempts + 1
                FROM entries e
                WHERE q.entity = :entity AND q.resolved_at IS NULL AND q.amocrm_deal_id = e.id
                RETURNING q.amocrm_deal_id
            )
            INSERT INTO sync_quarantine (run_id, entity, amocrm_deal_id, reason, raw)
            SELECT :run, :entity, e.id, e.reason, e.raw FROM entries e
            WHERE e.id IS NULL OR NOT EXISTS (SELECT 1 FROM again a WHERE a.amocrm_deal_id = e.id)
            """;
    // only ids as amoCRM writes them can be asked for again (filter[id][]) and met again in a page
    private static final String OPEN = """
            SELECT DISTINCT amocrm_deal_id FROM sync_quarantine
            WHERE entity = :entity AND resolved_at IS NULL AND amocrm_deal_id ~ '^[1-9][0-9]{0,17}$'
            """;
    private static final String RESOLVE = """
            UPDATE sync_quarantine SET resolved_at = now(), resolution = :resolution
            WHERE entity = :entity AND resolved_at IS NULL
              AND amocrm_deal_id IN (SELECT jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)))
            """;

    private final ObjectMapper json;

    QuarantineStore(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Sets these items of {@code entity} ({@code leads}, {@code contacts}, ...) aside; an item already open is updated.
     * {@code runId} is null outside a sync run (webhooks).
     */
    public Uni<Void> add(Long runId, String entity, List<Quarantined> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(ADD).setParameter("run", runId).setParameter("entity", entity)
                        .setParameter("entries", JsonParameter.of(json, entries)).executeUpdate())
                .replaceWithVoid();
    }

    /** The ids of the items of {@code entity} still set aside, to be read again. */
    public Uni<List<String>> open(String entity) {
        return Panache.getSession().chain(session -> session.<String> createNativeQuery(OPEN)
                .setParameter("entity", entity).getResultList());
    }

    /** Closes the open rows of these items; how many rows closed. Callers provide the transaction. */
    public Uni<Integer> resolve(String entity, Collection<String> ids, Resolution resolution) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(RESOLVE).setParameter("entity", entity)
                .setParameter("ids", JsonParameter.of(json, ids)).setParameter("resolution", resolution.text)
                .executeUpdate());
    }
}
