package dev.amocrmsync.webhook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.store.WebhookEventStore;
import dev.amocrmsync.sync.ChangedLeads;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Applies received webhook events within seconds: the latest event of each lead decides whether it is flagged
 * deleted, unflagged, or read again by id and upserted (a webhook body says only "lead X changed", in legacy field
 * names; the API's own answer is what gets stored). Events are marked applied in the same transaction.
 */
@ApplicationScoped
public class WebhookProcessor {

    private final WebhookEventStore store;
    private final ChangedLeads changed;
    private final WebhookBacklog backlog;
    private final WebhookConfig config;

    WebhookProcessor(WebhookEventStore store, ChangedLeads changed, WebhookBacklog backlog, WebhookConfig config) {
        this.store = store;
        this.changed = changed;
        this.backlog = backlog;
        this.config = config;
    }

    @Scheduled(identity = "webhooks", every = "{amocrm.webhook.process-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = WebhookBacklog.class)
    Uni<Void> onSchedule() {
        return applyPending()
                .onFailure().invoke(failure -> Log.warnf("Webhook events wait for the next try: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Applies the pending events, oldest first; returns how many. */
    public Uni<Integer> applyPending() {
        long mark = backlog.mark();
        return store.pending(config.batchSize()).chain(events -> {
            if (events.isEmpty()) {
                backlog.drained(mark);
                return Uni.createFrom().item(0);
            }
            Map<Long, WebhookEventStore.Pending> latest = new LinkedHashMap<>();
            events.forEach(event -> latest.put(event.leadId(), event));
            Map<String, Long> deleted = new HashMap<>();
            Map<String, Long> restored = new HashMap<>();
            List<Long> touched = new ArrayList<>();
            for (WebhookEventStore.Pending event : latest.values()) {
                switch (event.eventType()) {
                    case "delete" -> deleted.put(Long.toString(event.leadId()), event.receivedAt());
                    case "restore" -> restored.put(Long.toString(event.leadId()), event.receivedAt());
                    default -> touched.add(event.leadId());
                }
            }
            List<Long> ids = events.stream().map(WebhookEventStore.Pending::id).toList();
            return changed.apply(touched, deleted, restored, () -> store.markProcessed(ids))
                    .invoke(applied -> Log.infof("Webhooks: %d events applied (%d deals written, %d deleted, %d restored)",
                            events.size(), applied.written(), applied.deleted(), applied.restored()))
                    .replaceWith(events.size());
        });
    }
}
