package dev.amocrmsync.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.Account;
import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.catalog.AccountCatalogs;
import dev.amocrmsync.scan.Entity;
import dev.amocrmsync.scan.EntityScanner;
import dev.amocrmsync.scan.Plan;
import dev.amocrmsync.scan.RowMapper;
import dev.amocrmsync.scan.UpdatedAtFilterIgnored;
import dev.amocrmsync.store.MirrorTable;
import dev.amocrmsync.store.QuarantineStore;
import dev.amocrmsync.store.RunHistory;
import dev.amocrmsync.store.RunLock;
import dev.amocrmsync.store.SyncState;
import dev.amocrmsync.store.SyncStateStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * One sync run: make the mirror tables equal to amoCRM up to now. Under the run lock, decide each entity's plans from
 * what the last runs left, read each plan and commit it page by page, entity after entity, apply deletions, and
 * record the run.
 */
@ApplicationScoped
public class SyncService {

    private final ActiveAccess access;
    private final AmoCrmClient client;
    private final RunLock lock;
    private final RunHistory history;
    private final SyncStateStore state;
    private final MirroredEntities mirrored;
    private final PageCommitter committer;
    private final DeletionSync deletions;
    private final RunControl control;
    private final SyncConfig config;
    private final SyncMetrics metrics;
    private final Clock clock;
    private final MirroredAccount account;
    private final AccountCatalogs accountCatalogs;
    private final QuarantineStore quarantine;
    private final QuarantineRetry retry;

    SyncService(ActiveAccess access, AmoCrmClient client, RunLock lock, RunHistory history, SyncStateStore state,
            MirroredEntities mirrored, PageCommitter committer, DeletionSync deletions, RunControl control,
            SyncConfig config, SyncMetrics metrics, Clock clock, MirroredAccount account,
            AccountCatalogs accountCatalogs, QuarantineStore quarantine, QuarantineRetry retry) {
        this.access = access;
        this.client = client;
        this.lock = lock;
        this.history = history;
        this.state = state;
        this.mirrored = mirrored;
        this.committer = committer;
        this.deletions = deletions;
        this.control = control;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.account = account;
        this.accountCatalogs = accountCatalogs;
        this.quarantine = quarantine;
        this.retry = retry;
    }

    public Uni<SyncReport> run(SyncRequest request) {
        return control.tracked(Uni.createFrom().deferred(() -> {
            mirrored.entities(); // a wrong AMOCRM_SYNC_ENTITIES fails before anything is asked or written
            return access.activate();
        }).chain(mode -> request.dryRun() ? execute(request, null) : underLock(request)));
    }

    private Uni<SyncReport> underLock(SyncRequest request) {
        return lock.tryAcquire().chain(held -> held.isEmpty() ? lockedOut()
                : execute(request, held.get()).eventually(() -> held.get().release()));
    }

    /**
     * Another run holds the lock. Normal for a tick that overlaps a long run; not when the lock has been held longer
     * than a run can take: then a stuck session blocks every sync, and saying so only at INFO would hide it forever.
     */
    private Uni<SyncReport> lockedOut() {
        return lock.holder().map(holder -> {
            String who = holder.map(RunLock.Holder::describe).orElse("a run that has just ended");
            boolean stuck = holder.filter(h -> h.heldFor().compareTo(config.lockStuckAfter()) > 0).isPresent();
            metrics.lockedOut(holder.map(RunLock.Holder::heldFor).orElse(Duration.ZERO));
            if (stuck) {
                SyncReport report = SyncReport.lockStuck(who, holder.get().heldFor(), holder.get().pid());
                Log.error(report.note());
                return report;
            }
            SyncReport report = SyncReport.alreadyRunning(who);
            Log.info(report.note());
            return report;
        });
    }

    private Uni<SyncReport> execute(SyncRequest request, RunLock.Held held) {
        ApiSpan api = client.openSpan();
        RunProgress run = new RunProgress(request, client.requestsMade(), metrics, held, api);
        // amoCRM is asked while the run's row is written; a refusal surfaces after it, so that run is recorded too
        Uni<Account> asked = client.account().memoize().indefinitely();
        asked.subscribe().with(account -> {
        }, refused -> {
        });
        return record(request, run)
                .chain(() -> open(request, asked))
                .chain(opening -> start(run, opening)
                        .chain(() -> catalogsAhead(run, opening))
                        .chain(catalogs -> readAll(request, run, opening, catalogs::start)
                                .chain(() -> close(run, opening))
                                .chain(catalogs::store))
                        .chain(() -> finish(run, opening.upper())))
                .onFailure().call(failure -> fail(run, failure))
                .eventually(() -> client.close(api));
    }

    /** The run's row in {@code sync_runs}, first of all, so a run refused at its first request is recorded too. */
    private Uni<Void> record(SyncRequest request, RunProgress run) {
        return request.dryRun() ? Uni.createFrom().voidItem()
                : history.start(request.kind().name().toLowerCase(), access.mode().name().toLowerCase(), null, null)
                        .invoke(row -> run.identify(row.id)).replaceWithVoid();
    }

    /**
     * What the run reads. amoCRM is asked first ({@code asked}): a refused token or a blocked account costs one request,
     * and its answer carries amoCRM's clock, which bounds the run, while the saved state is read.
     */
    private Uni<Opening> open(SyncRequest request, Uni<Account> asked) {
        Uni<List<Saved<?>>> saved = Panache.withSession(() -> Multi.createFrom().iterable(mirrored.entities())
                .onItem().transformToUniAndConcatenate(this::saved)
                .collect().asList());
        return Uni.combine().all().unis(asked, saved).asTuple()
                .call(both -> account.confirm(both.getItem1(), !request.dryRun()))
                .map(both -> {
                    // the current second is left to the next run: items edited in it after our reads would be missed
                    long upper = amoCrmSecond() - 1;
                    return new Opening(both.getItem2().stream()
                            .<EntityRun<?>> map(entity -> entity.decide(request, upper, config)).toList(), upper,
                            both.getItem2().stream().collect(java.util.stream.Collectors.toMap(
                                    entity -> entity.entity().name(), Saved::quarantined)));
                });
    }

    /** What the last runs left of one entity (its items still set aside too), and the mapping to read it with. */
    private record Saved<R>(Entity<R> entity, SyncState state, MirrorTable.Held held, RowMapper<R> mapper,
            List<String> quarantined) {

        EntityRun<R> decide(SyncRequest request, long upper, SyncConfig config) {
            return new EntityRun<>(entity, mapper,
                    Planner.decide(request, state, held.newest(), held.rows(), upper, config));
        }
    }

    private <R> Uni<Saved<?>> saved(Entity<R> entity) {
        return state.load(entity.name()).chain(saved -> entity.rows().held()
                .chain(held -> quarantine.open(entity.name())
                        .chain(quarantined -> entity.openMapper()
                                .map(mapper -> new Saved<>(entity, saved, held, mapper, quarantined)))));
    }

    /** amoCRM's current second. Without a {@code Date} header (a proxy that strips it) the host's, said loudly. */
    private long amoCrmSecond() {
        return client.clock().now().orElseGet(() -> {
            Log.warn("amoCRM's answer carried no Date header: bounding this run by this machine's clock. Keep it"
                    + " synchronised (NTP), or items edited near the end of the run may be read only by a --full sync");
            return clock.instant();
        }).getEpochSecond();
    }

    /**
     * What a run starts from, read in one session: each entity's decision and mapping, the upper bound, and the ids
     * each entity has in the quarantine.
     */
    private record Opening(List<EntityRun<?>> runs, long upper, java.util.Map<String, List<String>> quarantined) {

        /** The API names of the entities this run mirrors: whose custom fields the catalogs keep. */
        List<String> entities() {
            return runs.stream().map(EntityRun::name).toList();
        }
    }

    private Uni<Void> start(RunProgress run, Opening opening) {
        run.started(access.describe());
        opening.runs().forEach(entity -> run.reading(entity.name(), entity.decision()));
        if (run.runId() == null) {
            return Uni.createFrom().voidItem();
        }
        opening.quarantined().forEach(run::quarantineOpen);
        // an empty range (nothing new since the cursor) is recorded as the point the events are read from
        long from = opening.runs().stream().mapToLong(entity -> entity.decision().plans().isEmpty()
                ? entity.decision().eventsFrom()
                : entity.decision().plans().get(0).from()).min()
                .orElse(opening.upper());
        long to = opening.runs().stream().mapToLong(entity -> entity.decision().plans().isEmpty()
                ? entity.decision().eventsFrom()
                : entity.decision().plans().get(entity.decision().plans().size() - 1).to()).max()
                .orElse(opening.upper());
        return history.range(run.runId(), Instant.ofEpochSecond(from), Instant.ofEpochSecond(to));
    }

    /**
     * Every entity's plans, then the deletions up to {@code upper}. amoCRM has already answered this run once (the
     * account, which bounds it), so the event log (for every entity at once) is requested now, beside the scan's first
     * page: its round trips overlap the scan instead of adding to it (a quiet run's two requests take one round trip,
     * not two). A full sync reads the bin after the scans, so a lead deleted after the scan read it still ends flagged.
     */
    private Uni<Void> readAll(SyncRequest request, RunProgress run, Opening opening, Runnable onFirstAnswer) {
        if (opening.runs().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long upper = opening.upper();
        long eventsFrom = opening.runs().stream().filter(entity -> entity.decision().readsEvents())
                .mapToLong(entity -> Math.min(entity.decision().eventsFrom(), upper)).min().orElse(upper);
        DeletionSync.Ahead deleted = deletions.ahead(eventsFrom, upper, request.kind() == SyncRequest.Kind.FULL,
                opening.runs());
        deleted.start();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        // every entity is read at once, so the budget stays busy where one entity's scan tails off; their writes
        // go down one lane, one transaction at a time, as the run's reactive session requires
        List<Multi<Write>> entities = opening.runs().stream()
                .map(entity -> writes(run, entity, onFirstAnswer).onFailure().recoverWithMulti(failure -> {
                    failures.add(failure);
                    return Multi.createFrom().empty();
                }))
                .toList();
        return Multi.createBy().merging().withConcurrency(entities.size()).withRequests(1).streams(entities)
                .onItem().transformToUniAndConcatenate(Write::commit)
                .onItem().ignoreAsUni()
                // a failed read surfaces only once the commit in flight is done
                .chain(() -> failures.isEmpty() ? Uni.createFrom().voidItem() : Uni.createFrom().failure(failures.get(0)))
                .chain(() -> deletions.apply(run, deleted, upper, opening.runs()));
    }

    /** One transaction of a run's reading: a plan frozen, a page committed, a plan completed. */
    @FunctionalInterface
    private interface Write {
        Uni<Void> commit();
    }

    /**
     * An entity's plans, each read into the database resumable page by page, its cursor moved when complete; then the
     * items its quarantine still holds, read again by id.
     */
    private <R> Multi<Write> writes(RunProgress run, EntityRun<R> entity, Runnable onAnswer) {
        Multi<Write> plans = Multi.createFrom().iterable(entity.decision().plans())
                .onItem().transformToMultiAndConcatenate(plan -> writes(run, entity, plan, onAnswer));
        Multi<Write> retried = retry.commits(run, entity).map(commit -> () -> commit);
        return Multi.createBy().concatenating().streams(plans, retried);
    }

    private <R> Multi<Write> writes(RunProgress run, EntityRun<R> entity, Plan plan, Runnable onAnswer) {
        boolean persists = run.runId() != null && plan.advancesCursor();
        String name = entity.name();
        EntityScanner<R> scanner = entity.scanner(client, config.parallelism(), control::checkNotStopping);
        Write begin = () -> Panache.withTransaction(() -> state.startPlan(name, plan.from(), plan.to()));
        Multi<Write> pages = scanner.scan(plan, onAnswer)
                .map(batch -> (Write) () -> committer.commit(run, entity.entity(), batch, persists).replaceWithVoid())
                .onFailure(UpdatedAtFilterIgnored.class).recoverWithMulti(ignored -> {
                    Log.warnf("%s (reading %s). Falling back to reading newest first down to %s; ask amoCRM support to"
                            + " enable filtering for the account, and run --full now and then", ignored.getMessage(),
                            name, Instant.ofEpochSecond(plan.from()));
                    return scanner.scanNewestFirst(plan)
                            .map(batch -> () -> committer.commit(run, entity.entity(), batch, false).replaceWithVoid());
                });
        Write complete = () -> run.confirmLock()
                .chain(() -> Panache.withTransaction(() -> state.completePlan(name, plan.to())));
        return Multi.createBy().concatenating().streams(
                persists && !plan.resumed() ? Multi.createFrom().item(begin) : Multi.createFrom().empty(),
                pages,
                persists ? Multi.createFrom().item(complete) : Multi.createFrom().empty());
    }

    /** The account's catalogs, read beside the scans when due, by a run that writes and mirrors them. */
    private Uni<AccountCatalogs.Ahead> catalogsAhead(RunProgress run, Opening opening) {
        return run.runId() != null && mirrored.catalogs() ? accountCatalogs.ahead(opening.entities())
                : Uni.createFrom().item(accountCatalogs.none());
    }

    /** What the mappings learned (status names) is kept, by a run that writes. */
    private Uni<Void> close(RunProgress run, Opening opening) {
        if (run.runId() == null) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(opening.runs())
                .onItem().transformToUniAndConcatenate(entity -> entity.mapper().close())
                .onItem().ignoreAsUni();
    }

    private Uni<SyncReport> finish(RunProgress run, long upper) {
        SyncReport report = run.report(client.requestsMade());
        metrics.finished(report.outcome(), report.took(), run.runId() == null ? null : upper, report.requestsPerSecond());
        if (run.runId() == null) {
            return Uni.createFrom().item(report);
        }
        String status = report.outcome() == SyncReport.Outcome.QUARANTINED ? "quarantined" : "succeeded";
        return history.finish(run.runId(), status, null, run.deleted(), run.restored(), (int) report.requests())
                .replaceWith(report);
    }

    private Uni<Void> fail(RunProgress run, Throwable failure) {
        metrics.failed(failure, run.took());
        if (run.runId() == null) {
            return Uni.createFrom().voidItem();
        }
        String status = failure instanceof RunInterrupted ? "interrupted" : "failed";
        return history.finish(run.runId(), status, String.valueOf(failure.getMessage()), run.deleted(), run.restored(),
                (int) run.report(client.requestsMade()).requests())
                .onFailure().recoverWithNull();
    }
}
