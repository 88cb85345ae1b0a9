package dev.amocrmsync.leads;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.Pipelines;
import dev.amocrmsync.mirror.Keyed;
import io.smallrye.mutiny.Uni;

/**
 * Status and pipeline names for one run, keyed by (pipeline_id, status_id) because 142 and 143 exist in every
 * pipeline. Starts from the database cache; asks amoCRM ({@code GET /api/v4/leads/pipelines}, once per run at most) only
 * when the cache is stale or a lead names a pair it does not know, and never when a run has no leads.
 */
final class StatusCatalog {

    private record Key(long pipelineId, long statusId) {
    }

    private final AmoCrmClient client;
    private final Map<Key, StatusLabel> labels = new ConcurrentHashMap<>();
    private final Uni<Void> refresh;
    private volatile boolean stale;
    private volatile boolean refreshed;

    StatusCatalog(AmoCrmClient client, List<StatusLabel> cached, boolean stale) {
        this.client = client;
        this.stale = stale;
        cached.forEach(label -> labels.put(new Key(label.pipelineId(), label.statusId()), label));
        this.refresh = Uni.createFrom().deferred(this::read).memoize().indefinitely();
    }

    /** Completes once every lead's status is known, or the names were read from amoCRM this run. */
    Uni<StatusCatalog> covering(Collection<Keyed> leads) {
        if (refreshed || leads.isEmpty() || (!stale && leads.stream().allMatch(this::knows))) {
            return Uni.createFrom().item(this);
        }
        return refresh.replaceWith(this);
    }

    Optional<StatusLabel> label(Long pipelineId, Long statusId) {
        return pipelineId == null || statusId == null ? Optional.empty()
                : Optional.ofNullable(labels.get(new Key(pipelineId, statusId)));
    }

    /** The labels read from amoCRM this run, to store; empty when nothing was read. */
    List<StatusLabel> readThisRun() {
        return refreshed ? List.copyOf(labels.values()) : List.of();
    }

    private boolean knows(Keyed lead) {
        JsonKeys keys = JsonKeys.of(lead);
        return keys.pipelineId() == null || keys.statusId() == null
                || labels.containsKey(new Key(keys.pipelineId(), keys.statusId()));
    }

    private Uni<Void> read() {
        return client.pipelines().invoke(pipelines -> {
            for (Pipelines.Pipeline pipeline : pipelines.pipelines()) {
                for (Pipelines.Status status : pipeline.statuses()) {
                    labels.put(new Key(pipeline.id(), status.id()),
                            new StatusLabel(pipeline.id(), status.id(), pipeline.name(), status.name()));
                }
            }
            refreshed = true;
            stale = false;
        }).replaceWithVoid();
    }

    /** A lead's pipeline and status ids, read from the raw JSON before the lead is mapped. */
    private record JsonKeys(Long pipelineId, Long statusId) {
        static JsonKeys of(Keyed lead) {
            return new JsonKeys(id(lead.raw().path("pipeline_id")), id(lead.raw().path("status_id")));
        }

        private static Long id(com.fasterxml.jackson.databind.JsonNode node) {
            return node.canConvertToLong() && node.isNumber() ? node.longValue() : null;
        }
    }
}
