package dev.amocrmsync.sync;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import dev.amocrmsync.amocrm.AmoCrmClock;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.PageWrite;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The sync's own figures on {@code /q/metrics} (Prometheus names get {@code _total}, {@code _seconds} suffixes):
 * counters move page by page as pages commit, so a long run is visible while it runs; the gauges answer "when did
 * it last work" and "how far behind amoCRM is the table". The figures the database keeps (the last success among them)
 * are {@code metrics.StoredFigures}'.
 */
@Singleton
public class SyncMetrics {

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final MeterRegistry registry;
    private final AmoCrmClock amoCrmClock;
    private final Counter pages;
    private final Counter read;
    private final Counter inserted;
    private final Counter updated;
    private final Counter quarantined;
    private final Counter deleted;
    private final Counter restored;
    private final AtomicLong cursor = new AtomicLong(UNKNOWN);
    private final AtomicLong lockHeld = new AtomicLong(0);
    private final Counter lockedOut;

    private final AtomicLong effectiveRate = new AtomicLong(Double.doubleToLongBits(Double.NaN));

    SyncMetrics(MeterRegistry registry, AmoCrmClock amoCrmClock) {
        this.amoCrmClock = amoCrmClock;
        this.registry = registry;
        this.pages = counter("amocrm_sync_pages", "pages of leads committed");
        this.read = counter("amocrm_sync_leads_read", "leads read from amoCRM");
        this.inserted = Counter.builder("amocrm_sync_leads_upserted").description("deals written")
                .tag("kind", "new").register(registry);
        this.updated = Counter.builder("amocrm_sync_leads_upserted").description("deals written")
                .tag("kind", "updated").register(registry);
        this.quarantined = counter("amocrm_sync_leads_quarantined", "leads set aside in sync_quarantine");
        this.deleted = counter("amocrm_sync_leads_deleted", "deals flagged deleted");
        this.restored = counter("amocrm_sync_leads_restored", "deals restored after a deletion");
        this.lockedOut = counter("amocrm_sync_locked_out", "runs that found the run lock taken and wrote nothing");
        Gauge.builder("amocrm_sync_lock_held_seconds", lockHeld, AtomicLong::get)
                .description("how long another session had held the run lock when a run last found it taken (0: free"
                        + " since); alert when it exceeds the longest run")
                .register(registry);
        Gauge.builder("amocrm_sync_last_run_requests_per_second", effectiveRate, bits -> Double.longBitsToDouble(bits.get()))
                .description("requests per second the last finished run got out of amoCRM, first request to last answer")
                .register(registry);
        Gauge.builder("amocrm_sync_lag_seconds", cursor, this::lag)
                .description("now minus the cursor of the last successful run: how stale the table may be")
                .register(registry);
    }

    /**
     * A committed page of {@code entity}; the {@code leads_*} names predate the other entities and count the entity
     * the original script mirrored, as dashboards built on them expect.
     */
    void committed(Entity<?> entity, Batch<?> batch, PageWrite write) {
        if (entity.original()) {
            pages.increment();
            read.increment(batch.items());
            inserted.increment(write.inserted().size());
            updated.increment(write.updated().size());
            quarantined.increment(batch.quarantined().size());
        }
        items(entity.name(), "read", batch.items());
        items(entity.name(), "new", write.inserted().size());
        items(entity.name(), "updated", write.updated().size());
        items(entity.name(), "quarantined", batch.quarantined().size());
    }

    void deletions(Entity<?> entity, int deletedRows, int restoredRows) {
        if (entity.original()) {
            deleted.increment(deletedRows);
            restored.increment(restoredRows);
        }
        items(entity.name(), "deleted", deletedRows);
        items(entity.name(), "restored", restoredRows);
    }

    /** {@code amocrm_sync_items_total{entity, kind}}: what every run did, per entity. */
    private void items(String entity, String kind, int count) {
        if (count > 0) {
            Counter.builder("amocrm_sync_items").description("items read, written, set aside or flagged, per entity")
                    .tag("entity", entity).tag("kind", kind)
                    .register(registry).increment(count);
        }
    }

    /** A finished run; {@code cursor} is the second the table is now complete up to, when the run wrote anything. */
    void finished(SyncReport.Outcome outcome, Duration took, Long cursor, double requestsPerSecond) {
        effectiveRate.set(Double.doubleToLongBits(requestsPerSecond));
        Timer.builder("amocrm_sync_run_duration").description("sync runs, by how they ended")
                .tag("outcome", outcome.name().toLowerCase()).register(registry).record(took);
        if (cursor != null) {
            lockHeld.set(0);
            this.cursor.set(cursor);
        }
    }

    void lockedOut(Duration heldFor) {
        lockedOut.increment();
        lockHeld.set(heldFor.toSeconds());
    }

    void failed(Throwable failure, Duration took) {
        String outcome = failure instanceof RunInterrupted ? "interrupted" : "failed";
        Timer.builder("amocrm_sync_run_duration").description("sync runs, by how they ended").tag("outcome", outcome)
                .register(registry).record(took);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private double lag(AtomicLong cursor) {
        long at = cursor.get();
        // the cursor is amoCRM time: measured against amoCRM's clock, a skewed host shows no phantom lag
        return at == UNKNOWN ? Double.NaN : amoCrmClock.nowOrHost().getEpochSecond() - at;
    }
}
