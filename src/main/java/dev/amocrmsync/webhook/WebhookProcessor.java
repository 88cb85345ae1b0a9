package dev.amocrmsync.webhook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClock;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.sync.ChangedEntities;
import dev.amocrmsync.sync.MirroredAccount;
import dev.amocrmsync.sync.MirroredEntities;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Applies received webhook events within seconds: the latest event of each lead, contact or company decides whether
 * it is flagged deleted, unflagged, or read again by id and upserted (a webhook body says only "lead X changed", in
 * legacy field names; the API's own answer is what gets stored). Events of an entity not mirrored
 * ({@code AMOCRM_SYNC_ENTITIES}) are marked processed without a request. Events are claimed first, so of several
 * {@code serve} replicas only one applies each, and marked applied in the same transaction. Access to amoCRM is
 * activated here too: webhooks must not wait for a sync to have succeeded in this process; while it cannot be, events
 * wait stored. Nothing is applied before the account this access reaches is confirmed to be the schema's, and only
 * that account's events are claimed: ids of two accounts collide.
 */
@ApplicationScoped
public class WebhookProcessor {

    private final WebhookEventStore store;
    private final ChangedEntities changed;
    private final MirroredEntities mirrored;
    private final WebhookBacklog backlog;
    private final WebhookConfig config;
    private final ActiveAccess access;
    private final AmoCrmClock amoCrmClock;
    private final MirroredAccount account;
    // one per process: a restarted replica does not mistake its predecessor's claims for its own
    private final String claimer = "pid " + ProcessHandle.current().pid() + " " + UUID.randomUUID();

    WebhookProcessor(WebhookEventStore store, ChangedEntities changed, MirroredEntities mirrored,
            WebhookBacklog backlog, WebhookConfig config, ActiveAccess access, AmoCrmClock amoCrmClock,
            MirroredAccount account) {
        this.amoCrmClock = amoCrmClock;
        this.account = account;
        this.store = store;
        this.changed = changed;
        this.mirrored = mirrored;
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
                .chain(account::confirmedReached)
                .chain(reached -> store.claim(claimer, config.claimLease(), config.batchSize(), reached.id(),
                        reached.subdomain()))
                .chain(events -> {
                    if (events.isEmpty()) {
                        backlog.drained(mark);
                        return Uni.createFrom().item(0);
                    }
                    List<Long> ids = events.stream().map(WebhookEventStore.Pending::id).toList();
                    return apply(events)
                            // for whichever replica tries next, rather than after the lease
                            .onFailure().call(() -> store.release(claimer, ids).onFailure().recoverWithNull());
                });
    }

    /**
     * Each entity's events in a transaction of their own: a lead's and a contact's ids are unrelated, and an entity
     * that fails leaves the others applied. Entities come in reading order (leads first).
     */
    private Uni<Integer> apply(List<WebhookEventStore.Pending> events) {
        Map<String, List<WebhookEventStore.Pending>> byEntity = new TreeMap<>(
                Comparator.comparingInt(this::order).thenComparing(Comparator.nullsFirst(Comparator.naturalOrder())));
        events.forEach(event -> byEntity.computeIfAbsent(event.entity(), entity -> new ArrayList<>()).add(event));
        // a delivery says no time for a deletion: it is stamped with amoCRM's clock at its arrival, or, when the
        // receiving process had not heard amoCRM's clock yet, now (the account was just asked: amoCRM's clock is known)
        long amoCrmNow = amoCrmClock.nowOrHost().getEpochSecond();
        return Multi.createFrom().iterable(byEntity.entrySet())
                .onItem().transformToUniAndConcatenate(group -> apply(group.getKey(), group.getValue(), amoCrmNow))
                .collect().last()
                .replaceWith(events.size());
    }

    private Uni<Void> apply(String name, List<WebhookEventStore.Pending> events, long amoCrmNow) {
        List<Long> ids = events.stream().map(WebhookEventStore.Pending::id).toList();
        Entity<?> entity = mirrored.named(name).filter(known -> known.list().isPresent()).orElse(null);
        if (entity == null || !mirrored.isSelected(entity)) {
            Log.debugf("Webhooks: %d %s events marked processed unapplied: not in AMOCRM_SYNC_ENTITIES, or not an"
                    + " entity of this version", events.size(), name);
            return Panache.withTransaction(() -> store.markProcessed(claimer, ids));
        }
        // events come oldest first: the latest of each item decides
        Map<Long, WebhookEventStore.Pending> latest = new LinkedHashMap<>();
        events.forEach(event -> latest.put(event.entityId(), event));
        Map<String, Long> deleted = new HashMap<>();
        Map<String, Long> restored = new HashMap<>();
        List<Long> touched = new ArrayList<>();
        for (WebhookEventStore.Pending event : latest.values()) {
            switch (event.eventType()) {
                case "delete" -> deleted.put(Long.toString(event.entityId()), amoCrmTime(event, amoCrmNow));
                case "restore" -> restored.put(Long.toString(event.entityId()), amoCrmTime(event, amoCrmNow));
                default -> touched.add(event.entityId());
            }
        }
        return changed.apply(entity, touched, deleted, restored, applied -> store.markProcessed(claimer, ids))
                .invoke(applied -> Log.infof("Webhooks: %d events applied (%d %s written, %d deleted, %d restored)",
                        events.size(), applied.written(), entity.table().name(), applied.deleted(), applied.restored()))
                .replaceWithVoid();
    }

    private static long amoCrmTime(WebhookEventStore.Pending event, long amoCrmNow) {
        return event.amoCrmReceivedAt() != null ? Math.min(event.amoCrmReceivedAt(), amoCrmNow) : amoCrmNow;
    }

    /** In the entities' reading order (deals first), then anything this version does not know. */
    private int order(String name) {
        return name == null ? Integer.MAX_VALUE
                : mirrored.named(name).map(dev.amocrmsync.mirror.Entity::order).orElse(Integer.MAX_VALUE);
    }
}
