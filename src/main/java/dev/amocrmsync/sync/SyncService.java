package dev.amocrmsync.sync;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.Account;
import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.catalog.AccountCatalogs;
import dev.amocrmsync.catalog.FunnelCatalogs;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * One sync run: make the mirror tables equal to amoCRM up to now. Under the run lock (a dry run takes none and writes
 * nothing: its own {@link Sink}), the run is recorded, then it opens ({@link RunOpening}: what to read, bounded by
 * amoCRM's clock), reads ({@link RunReading}: every entity at once, page by page) and closes ({@link RunClosing}:
 * deletions, what the mappings learned, the catalogs), and records how it ended.
 */
@ApplicationScoped
public class SyncService {

    private final ActiveAccess access;
    private final AmoCrmClient client;
    private final RunLock lock;
    private final MirroredEntities mirrored;
    private final Sinks sinks;
    private final RunOpening opening;
    private final RunReading reading;
    private final RunClosing closing;
    private final AccountCatalogs catalogs;
    private final FunnelCatalogs funnel;
    private final RunControl control;
    private final SyncConfig config;
    private final SyncMetrics metrics;

    SyncService(ActiveAccess access, AmoCrmClient client, RunLock lock, MirroredEntities mirrored, Sinks sinks,
            RunOpening opening, RunReading reading, RunClosing closing, AccountCatalogs catalogs, FunnelCatalogs funnel,
            RunControl control, SyncConfig config, SyncMetrics metrics) {
        this.access = access;
        this.client = client;
        this.lock = lock;
        this.mirrored = mirrored;
        this.sinks = sinks;
        this.opening = opening;
        this.reading = reading;
        this.closing = closing;
        this.catalogs = catalogs;
        this.funnel = funnel;
        this.control = control;
        this.config = config;
        this.metrics = metrics;
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

    /** {@code held} is the run lock, null for a dry run. */
    private Uni<SyncReport> execute(SyncRequest request, RunLock.Held held) {
        ApiSpan api = client.openSpan();
        RunProgress progress = new RunProgress(request, client.requestsMade(), metrics, api,
                new ReadProgress(config.progressEvery(), ConsoleLine.ofTerminal()));
        Sink sink = held == null ? sinks.dryRun(progress) : sinks.storing(held, progress);
        // amoCRM is asked while the run's row is written; a refusal surfaces after it, so that run is recorded too
        Uni<Account> asked = client.account().memoize().indefinitely();
        asked.subscribe().with(account -> {
        }, refused -> {
        });
        return sink.open(request, access.mode().name().toLowerCase())
                .chain(() -> opening.open(request, sink, asked))
                .chain(opened -> started(sink, progress, opened)
                        .chain(() -> catalogsAhead(sink, opened))
                        .chain(ahead -> reading.read(opened, sink, progress, ahead::start)
                                .invoke(progress::readingEnded)
                                .chain(log -> closing.close(request, sink, progress, opened, log, ahead)))
                        .chain(() -> finish(sink, progress, opened.upper())))
                .onFailure().call(failure -> fail(sink, progress, failure))
                .eventually(() -> client.close(api));
    }

    private Uni<Void> started(Sink sink, RunProgress progress, RunOpening.Opening opened) {
        progress.started(access.describe());
        opened.runs().forEach(run -> progress.reading(run.entity(), run.decision()));
        // an empty range (nothing new since the cursor) is recorded as the point the events are read from
        return sink.opened(opened).chain(() -> sink.range(opened.from(), opened.to()));
    }

    /** The account's catalogs, read beside the scans when due, by a run that writes and mirrors them. */
    private Uni<RunClosing.Catalogs> catalogsAhead(Sink sink, RunOpening.Opening opened) {
        if (!sink.writes() || !mirrored.catalogs()) {
            return Uni.createFrom().item(new RunClosing.Catalogs(catalogs.none(), funnel.none()));
        }
        return catalogs.ahead(opened.entities()).chain(account -> funnel.ahead(opened.entities())
                .map(stages -> new RunClosing.Catalogs(account, stages)));
    }

    private Uni<SyncReport> finish(Sink sink, RunProgress progress, long upper) {
        SyncReport report = progress.report(client.requestsMade());
        metrics.finished(report.outcome(), report.took(), sink.writes() ? upper : null, report.requestsPerSecond());
        return sink.finish(report, progress.deleted(), progress.restored()).replaceWith(report);
    }

    private Uni<Void> fail(Sink sink, RunProgress progress, Throwable failure) {
        progress.readingEnded();
        metrics.failed(failure, progress.took());
        return sink.failed(failure, progress.deleted(), progress.restored(),
                progress.requests(client.requestsMade()));
    }
}
