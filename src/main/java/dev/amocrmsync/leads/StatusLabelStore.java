package dev.amocrmsync.leads;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code amocrm_pipeline_statuses}: the status names, so most runs need no request for them. */
@ApplicationScoped
class StatusLabelStore {

    /** The cached labels with the age of their refresh, in seconds since the epoch. */
    public record Cached(List<StatusLabel> labels, Long refreshedAt) {
    }

    private static final String LOAD = """
            SELECT pipeline_id, status_id, pipeline_name, status_name,
                   CAST(extract(epoch FROM min(refreshed_at) OVER ()) AS bigint)
            FROM amocrm_pipeline_statuses
            """;
    private static final String REPLACE = """
            INSERT INTO amocrm_pipeline_statuses (pipeline_id, status_id, pipeline_name, status_name, refreshed_at)
            SELECT pipeline_id, status_id, pipeline_name, status_name, now()
            FROM jsonb_to_recordset(CAST(CAST(:labels AS text) AS jsonb))
                AS x(pipeline_id bigint, status_id bigint, pipeline_name text, status_name text)
            ON CONFLICT (pipeline_id, status_id) DO UPDATE SET pipeline_name = EXCLUDED.pipeline_name,
                status_name = EXCLUDED.status_name, refreshed_at = now()
            """;
    private static final String RELABEL = """
            UPDATE amocrm_deals AS d SET status_label = x.status_name, pipeline_name = x.pipeline_name
            FROM amocrm_pipeline_statuses AS x
            WHERE d.pipeline_id = x.pipeline_id AND d.status_id = x.status_id
              AND (d.status_label IS DISTINCT FROM x.status_name OR d.pipeline_name IS DISTINCT FROM x.pipeline_name)
            """;

    private final ObjectMapper json;

    StatusLabelStore(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Cached> load() {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.<Object[]> createNativeQuery(LOAD).getResultList())
                .map(rows -> new Cached(rows.stream().map(row -> new StatusLabel(((Number) row[0]).longValue(),
                        ((Number) row[1]).longValue(), (String) row[2], (String) row[3])).toList(),
                        rows.isEmpty() ? null : rows.get(0)[4] == null ? null : ((Number) rows.get(0)[4]).longValue())));
    }

    /** Stores freshly read labels and copies renamed statuses and pipelines onto the deals, in one transaction. */
    public Uni<Void> save(List<StatusLabel> labels) {
        if (labels.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(REPLACE)
                .setParameter("labels", JsonParameter.of(json, labels)).executeUpdate()
                .chain(() -> session.createNativeQuery(RELABEL).executeUpdate())))
                .replaceWithVoid();
    }
}
