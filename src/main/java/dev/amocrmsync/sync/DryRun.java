package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.PageWrite;
import dev.amocrmsync.scan.Plan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A run that writes nothing ({@code --dry-run}): every page is read and mapped as for real, and counted as new or
 * already present; deletions are counted as the event log tells them. No lock, no run row, no cursor.
 */
final class DryRun implements Sink {

    private final Sinks beans;
    private final RunProgress progress;

    DryRun(Sinks beans, RunProgress progress) {
        this.beans = beans;
        this.progress = progress;
    }

    @Override
    public Uni<Void> open(SyncRequest request, String accessMode) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> opened(RunOpening.Opening opened) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> notListed(EntityRun<?> entity, List<String> ids) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public boolean writes() {
        return false;
    }

    @Override
    public Uni<Void> range(long from, long to) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> planStarted(EntityRun<?> entity, Plan plan) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public <R> Uni<PageWrite> page(EntityRun<R> entity, Batch<R> batch, boolean saveWindow) {
        List<String> ids = batch.rows().stream().map(entity.entity().table()::id).toList();
        return Panache.withSession(() -> beans.tables.existing(entity.entity().table(), ids))
                .map(existing -> split(ids, existing))
                .invoke(write -> progress.committed(entity.entity(), batch, write))
                // what a full sync read alive, for its sweep to leave alone
                .invoke(() -> {
                    if (entity.entity().list().isPresent()) {
                        progress.seenAlive(entity.entity(), ids, 0);
                    }
                });
    }

    private static PageWrite split(List<String> ids, Set<String> existing) {
        List<String> inserted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        ids.forEach(id -> (existing.contains(id) ? updated : inserted).add(id));
        return new PageWrite(inserted, updated);
    }

    @Override
    public Uni<Void> planCompleted(EntityRun<?> entity, Plan plan) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public <R> Uni<ChangedEntities.Applied> deletions(EntityRun<R> entity, Map<String, Long> deleted,
            Map<String, Long> restored, Long eventsCursor) {
        return Uni.createFrom().item(new ChangedEntities.Applied(0, deleted.size(), restored.size(), 0));
    }

    @Override
    public Uni<Integer> gone(EntityRun<?> entity, Map<String, Long> gone) {
        return Uni.createFrom().item(gone.size());
    }

    @Override
    public Uni<Void> finish(SyncReport report, int deleted, int restored) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> failed(Throwable failure, int deleted, int restored, long requests) {
        return Uni.createFrom().voidItem();
    }
}
