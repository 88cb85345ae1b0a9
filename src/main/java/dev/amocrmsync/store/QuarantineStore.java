package dev.amocrmsync.store;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import dev.amocrmsync.mirror.Quarantined;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code sync_quarantine}: items set aside with the reason, written in the same transaction as their page. */
@ApplicationScoped
public class QuarantineStore {

    private static final String ADD = """
            INSERT INTO sync_quarantine (run_id, entity, amocrm_deal_id, reason, raw)
            SELECT :run, :entity, x ->> 'amocrmId', x ->> 'reason', x -> 'raw'
            FROM jsonb_array_elements(CAST(CAST(:entries AS text) AS jsonb)) AS x
            """;

    private final ObjectMapper json;

    QuarantineStore(ObjectMapper json) {
        this.json = json;
    }

    /** Sets these items of {@code entity} ({@code leads}, {@code contacts}, ...) aside. */
    public Uni<Void> add(Long runId, String entity, List<Quarantined> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(ADD).setParameter("run", runId).setParameter("entity", entity)
                        .setParameter("entries", JsonParameter.of(json, entries)).executeUpdate())
                .replaceWithVoid();
    }
}
