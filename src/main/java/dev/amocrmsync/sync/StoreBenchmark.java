package dev.amocrmsync.sync;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.MirrorTables;
import dev.amocrmsync.mirror.RowMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The database path alone, for the benchmark: pages mapped in advance are committed through a run's own sink (upsert,
 * window cursor, run counters in one transaction) with no API in the way. Refuses a table that already holds rows.
 */
@ApplicationScoped
public class StoreBenchmark {

    /** What one measurement gave. */
    public record Result(int items, int pages, Duration took) {
        public double itemsPerSecond() {
            return items / Math.max(0.001, took.toNanos() / 1e9);
        }
    }

    private final Sinks sinks;
    private final MirrorTables tables;
    private final RunLock lock;
    private final SyncMetrics metrics;

    StoreBenchmark(Sinks sinks, MirrorTables tables, RunLock lock, SyncMetrics metrics) {
        this.sinks = sinks;
        this.tables = tables;
        this.lock = lock;
        this.metrics = metrics;
    }

    public <R> Uni<Result> run(Entity<R> entity, RowMapper<R> mapper, List<Batch<R>> pages) {
        return Panache.withSession(() -> tables.held(entity.table())).invoke(held -> {
            if (held.rows()) {
                throw new InvalidSettingsException("bench-store writes synthetic " + entity.rowsCalled()
                        + ": point DATABASE_URL at an empty scratch database, never at a real mirror");
            }
        }).chain(() -> lock.tryAcquire()).chain(held -> {
            RunProgress progress = new RunProgress(SyncRequest.incremental(), 0, metrics, new ApiSpan(),
                    ReadProgress.quiet());
            Sink sink = sinks.storing(held.orElseThrow(() -> new IllegalStateException("the run lock is taken")),
                    progress);
            EntityRun<R> run = new EntityRun<>(entity, mapper, null);
            progress.started("store benchmark");
            return sink.open(SyncRequest.incremental(), "none").chain(() -> {
                long started = System.nanoTime();
                int items = pages.stream().mapToInt(Batch::items).sum();
                return Multi.createFrom().iterable(pages)
                        .onItem().transformToUniAndConcatenate(batch -> sink.page(run, batch, true))
                        .onItem().ignoreAsUni()
                        .map(done -> new Result(items, pages.size(), Duration.ofNanos(System.nanoTime() - started)));
            }).eventually(() -> held.get().release());
        });
    }
}
