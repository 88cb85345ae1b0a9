package dev.amocrmsync.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.store.DealStore;
import dev.amocrmsync.store.PageWrite;
import dev.amocrmsync.store.RunHistory;
import dev.amocrmsync.store.RunLock;
import dev.amocrmsync.store.SyncStateStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * One sync run: make {@code amocrm_deals} equal to amoCRM up to now. Under the run lock, decide the plans from what
 * the last runs left, read each plan's leads and commit them page by page, apply deletions, and record the run.
 */
@ApplicationScoped
public class SyncService {

    private final ActiveAccess access;
    private final AmoCrmClient client;
    private final RunLock lock;
    private final RunHistory history;
    private final SyncStateStore state;
    private final DealStore deals;
    private final StatusCatalogs catalogs;
    private final LeadScanner scanner;
    private final PageCommitter committer;
    private final DeletionSync deletions;
    private final RunControl control;
    private final SyncConfig config;
    private final SyncMetrics metrics;
    private final Clock clock;

    SyncService(ActiveAccess access, AmoCrmClient client, RunLock lock, RunHistory history, SyncStateStore state,
            DealStore deals, StatusCatalogs catalogs, LeadScanner scanner, PageCommitter committer,
            DeletionSync deletions, RunControl control, SyncConfig config, SyncMetrics metrics, Clock clock) {
        this.access = access;
        this.client = client;
        this.lock = lock;
        this.history = history;
        this.state = state;
        this.deals = deals;
        this.catalogs = catalogs;
        this.scanner = scanner;
        this.committer = committer;
        this.deletions = deletions;
        this.control = control;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<SyncReport> run(SyncRequest request) {
        return control.tracked(Uni.createFrom().deferred(access::activate)
                .chain(mode -> request.dryRun() ? execute(request) : underLock(request)));
    }

    private Uni<SyncReport> underLock(SyncRequest request) {
        return lock.tryAcquire().chain(held -> held.isEmpty()
                ? history.describeRunning().map(SyncReport::alreadyRunning).invoke(report -> Log.info(report.note()))
                : execute(request).eventually(() -> held.get().release()));
    }

    private Uni<SyncReport> execute(SyncRequest request) {
        // the current second is left to the next run: leads edited in it after our reads would be missed otherwise
        long upper = clock.instant().getEpochSecond() - 1;
        ApiSpan api = client.openSpan();
        RunProgress run = new RunProgress(request, client.requestsMade(), metrics, api);
        return Panache.withSession(() -> state.load().chain(saved -> deals.latestUpdatedAt()
                .map(newest -> Planner.decide(request, saved, newest, upper, config)))
                .chain(decision -> catalogs.open().map(catalog -> new Opening(decision, catalog))))
                .chain(opening -> start(request, opening.decision(), run)
                        .chain(() -> readAll(request, run, opening.decision(), upper, opening.catalog()))
                        .chain(() -> saveLabels(run, opening.catalog()))
                        .chain(() -> finish(run, upper))
                        .onFailure().call(failure -> fail(run, failure)))
                .eventually(() -> client.close(api));
    }

    /** What a run starts from, read in one session. */
    private record Opening(Planner.Decision decision, StatusCatalog catalog) {
    }

    private Uni<Void> start(SyncRequest request, Planner.Decision decision, RunProgress run) {
        if (request.dryRun()) {
            run.started(null, access.describe(), decision);
            return Uni.createFrom().voidItem();
        }
        Instant from = Instant.ofEpochSecond(decision.plans().get(0).from());
        Instant to = Instant.ofEpochSecond(decision.plans().get(decision.plans().size() - 1).to());
        return history.start(request.kind().name().toLowerCase(), access.mode().name().toLowerCase(), from, to)
                .invoke(row -> run.started(row.id, access.describe(), decision))
                .replaceWithVoid();
    }

    /**
     * The leads of every plan, then the deletions up to {@code upper}. The event log (and the bin of a full sync) is
     * requested as soon as amoCRM has answered this run once, so its round trips overlap the scan instead of adding
     * to it; until then a run sends one request at a time, and a refused token or a blocked account costs one request.
     */
    private Uni<Void> readAll(SyncRequest request, RunProgress run, Planner.Decision decision, long upper,
            StatusCatalog catalog) {
        DeletionSync.Ahead deleted = deletions.ahead(decision.eventsFrom(), upper, request.kind() == SyncRequest.Kind.FULL);
        return Multi.createFrom().iterable(decision.plans())
                .onItem().transformToUniAndConcatenate(plan -> read(run, plan, catalog, deleted::start))
                .onItem().ignoreAsUni()
                .chain(() -> deletions.apply(run, deleted, upper, decision.advancesEvents(), catalog));
    }

    /** Reads one plan into the database, resumable page by page, and moves the cursor when it is complete. */
    private Uni<Void> read(RunProgress run, Plan plan, StatusCatalog catalog, Runnable onAnswer) {
        boolean persists = run.runId() != null && plan.advancesCursor();
        Uni<Void> begin = persists && !plan.resumed()
                ? Panache.withTransaction(() -> state.startPlan(plan.from(), plan.to()))
                : Uni.createFrom().voidItem();
        return begin
                .chain(() -> commitAll(scanner.scan(plan, catalog, onAnswer),
                        batch -> committer.commit(run, batch, persists)))
                .onFailure(UpdatedAtFilterIgnored.class).recoverWithUni(ignored -> {
                    Log.warnf("%s. Falling back to reading newest first down to %s; ask amoCRM support to enable"
                            + " filtering for the account, and run --full now and then", ignored.getMessage(),
                            Instant.ofEpochSecond(plan.from()));
                    return commitAll(scanner.scanNewestFirst(plan, catalog), batch -> committer.commit(run, batch, false));
                })
                .chain(() -> persists ? Panache.withTransaction(() -> state.completePlan(plan.to()))
                        : Uni.createFrom().voidItem());
    }

    /**
     * Commits the batches one at a time, in order. A failed read (amoCRM down, a stop requested) surfaces only once
     * the commit in flight is done: the run's failure handling uses the same reactive session, which must never
     * serve two transactions at once.
     */
    private static Uni<Void> commitAll(Multi<Batch> batches, Function<Batch, Uni<PageWrite>> commit) {
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        return batches
                .onFailure().recoverWithMulti(failure -> {
                    readFailure.set(failure);
                    return Multi.createFrom().empty();
                })
                .onItem().transformToUniAndConcatenate(commit::apply)
                .onItem().ignoreAsUni()
                .chain(() -> readFailure.get() == null ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(readFailure.get()));
    }

    private Uni<Void> saveLabels(RunProgress run, StatusCatalog catalog) {
        return run.runId() == null ? Uni.createFrom().voidItem() : catalogs.save(catalog);
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
