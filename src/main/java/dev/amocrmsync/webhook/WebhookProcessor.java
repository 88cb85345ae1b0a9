package dev.amocrmsync.webhook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClock;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.store.WebhookEventStore;
import dev.amocrmsync.leads.Leads;
import dev.amocrmsync.sync.ChangedEntities;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Applies received webhook events within seconds: the latest event of each lead decides whether it is flagged
 * deleted, unflagged, or read again by id and upserted (a webhook body says only "lead X changed", in legacy field
 * names; the API's own answer is what gets stored). Events are claimed first, so of several {@code serve} replicas
 * only one applies each, and marked applied in the same transaction. Access to amoCRM is activated here too: webhooks
 * must not wait for a sync to have succeeded in this process; while it cannot be, events wait stored.
 */
@ApplicationScoped
public class WebhookProcessor {

    private final WebhookEventStore store;
    private final ChangedEntities changed;
    private final Leads leads;
    private final WebhookBacklog backlog;
    private final WebhookConfig config;
    private final ActiveAccess access;
    private final AmoCrmClock amoCrmClock;
    // one per process: a restarted replica does not mistake its predecessor's claims for its own
    private final String claimer = "pid " + ProcessHandle.current().pid() + " " + UUID.randomUUID();

    WebhookProcessor(WebhookEventStore store, ChangedEntities changed, Leads leads, WebhookBacklog backlog, WebhookConfig config,
            ActiveAccess access, AmoCrmClock amoCrmClock) {
        this.amoCrmClock = amoCrmClock;
        this.store = store;
        this.changed = changed;
        this.leads = leads;
        this.backlog = backlog;
        this.config = config;
        this.access = access;
    }

    @Scheduled(identity = "webhooks", every = "{amocrm.webhook.process-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = WebhookBacklog.class)
    Uni<Void> onSchedule() {
        return applyPending()
                .onFailure().invoke(failure -> Log.warnf("Webhook events wait for the next try in %ds: %s",
                        backlog.failed().toSeconds(), failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Applies the pending events this process could claim, oldest first; returns how many. */
    public Uni<Integer> applyPending() {
        long mark = backlog.mark();
        return Uni.createFrom().deferred(access::activate)
                .chain(() -> store.claim(claimer, config.claimLease(), config.batchSize()))
                .chain(events -> {
                    if (events.isEmpty()) {
                        backlog.drained(mark);
                        return Uni.createFrom().item(0);
                    }
                    List<Long> ids = events.stream().map(WebhookEventStore.Pending::id).toList();
                    return apply(events, ids)
                            // for whichever replica tries next, rather than after the lease
                            .onFailure().call(() -> store.release(claimer, ids).onFailure().recoverWithNull());
                });
    }

    private Uni<Integer> apply(List<WebhookEventStore.Pending> events, List<Long> ids) {
        Map<Long, WebhookEventStore.Pending> latest = new LinkedHashMap<>();
        events.forEach(event -> latest.put(event.leadId(), event));
        Map<String, Long> deleted = new HashMap<>();
        Map<String, Long> restored = new HashMap<>();
        List<Long> touched = new ArrayList<>();
        // a delivery says no time for a deletion; the database stamped its arrival by its own clock, which may run
        // ahead of amoCRM's: never stamped later than amoCRM's present, or a later restore would look older
        long amoCrmNow = amoCrmClock.nowOrHost().getEpochSecond();
        for (WebhookEventStore.Pending event : latest.values()) {
            switch (event.eventType()) {
                case "delete" -> deleted.put(Long.toString(event.leadId()), Math.min(event.receivedAt(), amoCrmNow));
                case "restore" -> restored.put(Long.toString(event.leadId()), Math.min(event.receivedAt(), amoCrmNow));
                default -> touched.add(event.leadId());
            }
        }
        return changed.apply(leads, touched, deleted, restored, applied -> store.markProcessed(claimer, ids))
                .invoke(applied -> Log.infof("Webhooks: %d events applied (%d deals written, %d deleted, %d restored)",
                        events.size(), applied.written(), applied.deleted(), applied.restored()))
                .replaceWith(events.size());
    }
}
