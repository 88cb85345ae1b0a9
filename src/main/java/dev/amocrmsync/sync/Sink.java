package dev.amocrmsync.sync;

import java.util.List;
import java.util.Map;

import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.PageWrite;
import dev.amocrmsync.scan.Plan;
import io.smallrye.mutiny.Uni;

/**
 * Where a run's reading goes: the database ({@link StoringSink}), or nowhere but the counts ({@link DryRun}). The run
 * reads alike either way; only what is kept differs.
 */
sealed interface Sink permits StoringSink, DryRun {

    /** Records the run before amoCRM is asked anything, so a run refused at its first request is recorded too. */
    Uni<Void> open(SyncRequest request, String accessMode);

    /** What the run's opening decided, once: a storing run takes note of the items its quarantine holds. */
    Uni<Void> opened(RunOpening.Opening opened);

    /** Whether anything is written: a dry run keeps no cursor, no catalog and no learned status name. */
    boolean writes();

    /** The range of {@code updated_at} the run reads, once amoCRM's clock has bounded it. */
    Uni<Void> range(long from, long to);

    /** A plan's range is frozen before its first page, so a crash resumes it. */
    Uni<Void> planStarted(EntityRun<?> entity, Plan plan);

    /**
     * One answer's rows and quarantined items, with the window's progress when {@code saveWindow}: one transaction;
     * the run's progress counts it.
     */
    <R> Uni<PageWrite> page(EntityRun<R> entity, Batch<R> batch, boolean saveWindow);

    /** The plan is done: everything updated up to its end is mirrored, the cursor moves. */
    Uni<Void> planCompleted(EntityRun<?> entity, Plan plan);

    /**
     * Flags deleted items and unflags restored ones (which are read again), and moves the entity's events cursor to
     * {@code eventsCursor} when given: one transaction. Returns the rows deleted and restored.
     */
    <R> Uni<ChangedEntities.Applied> deletions(EntityRun<R> entity, Map<String, Long> deleted,
            Map<String, Long> restored, Long eventsCursor);

    /** Items the quarantine held that amoCRM no longer lists (deleted there) leave it. */
    Uni<Void> notListed(EntityRun<?> entity, List<String> ids);

    /** Flags items amoCRM says are gone now (the bin, a full sync's sweep); returns how many rows changed. */
    Uni<Integer> gone(EntityRun<?> entity, Map<String, Long> gone);

    /** Records how the run ended. */
    Uni<Void> finish(SyncReport report, int deleted, int restored);

    /** Records a failed or interrupted run; never fails itself. */
    Uni<Void> failed(Throwable failure, int deleted, int restored, long requests);
}
