package dev.amocrmsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.scan.EntityScanner;
import dev.amocrmsync.scan.Plan;
import dev.amocrmsync.scan.UpdatedAtFilterIgnored;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A run's reading: every listed entity's plans and the event log, read at once within the one request budget, so the
 * budget stays busy where one entity's scan tails off and a quiet run's requests leave together; their writes go down
 * one lane, one transaction at a time ({@link Write}), as the run's reactive session requires. Each plan is read
 * resumable page by page, and its cursor moves when it is complete.
 */
@ApplicationScoped
class RunReading {

    private final AmoCrmClient client;
    private final RunControl control;
    private final SyncConfig config;
    private final QuarantineRetry retry;

    RunReading(AmoCrmClient client, RunControl control, SyncConfig config, QuarantineRetry retry) {
        this.retry = retry;
        this.client = client;
        this.control = control;
        this.config = config;
    }

    /**
     * Reads everything the opening decided; returns the event log's read, whose deletions the closing applies.
     *
     * @param onFirstAnswer called for every answer of a list: the run starts its reads ahead there (the catalogs)
     */
    Uni<EventLogRead> read(RunOpening.Opening opening, Sink sink, RunProgress progress, Runnable onFirstAnswer) {
        EventLogRead log = new EventLogRead(opening.runs(), opening.upper());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Multi<Write>> streams = new ArrayList<>();
        opening.runs().stream().filter(run -> run.entity().list().isPresent())
                .forEach(run -> streams.add(writes(sink, progress, run, onFirstAnswer)));
        streams.add(log.writes(client, config.parallelism(), control::checkNotStopping, sink));
        List<Multi<Write>> guarded = streams.stream().map(stream -> stream.onFailure().recoverWithMulti(failure -> {
            failures.add(failure);
            return Multi.createFrom().<Write> empty();
        })).toList();
        return Multi.createBy().merging().withConcurrency(guarded.size()).withRequests(1).streams(guarded)
                .onItem().transformToUniAndConcatenate(Write::commit)
                .onItem().ignoreAsUni()
                // a failed read surfaces only once the commit in flight is done
                .chain(() -> failures.isEmpty() ? Uni.createFrom().item(log) : Uni.createFrom().failure(failures.get(0)));
    }

    /**
     * An entity's plans, each read into the database resumable page by page, its cursor moved when complete; then the
     * items its quarantine still holds, read again by id.
     */
    private <R> Multi<Write> writes(Sink sink, RunProgress progress, EntityRun<R> run, Runnable onAnswer) {
        Multi<Write> plans = Multi.createFrom().iterable(run.decision().plans())
                .onItem().transformToMultiAndConcatenate(plan -> writes(sink, progress, run, plan, onAnswer));
        return Multi.createBy().concatenating().streams(plans, retry.commits(sink, progress, run));
    }

    private <R> Multi<Write> writes(Sink sink, RunProgress progress, EntityRun<R> run, Plan plan, Runnable onAnswer) {
        boolean persists = plan.advancesCursor();
        EntityScanner<R> scanner = run.scanner(client, config.parallelism(), control::checkNotStopping);
        Write begin = () -> sink.planStarted(run, plan);
        Multi<Write> pages = scanner.scan(plan, onAnswer)
                .map(batch -> (Write) () -> commit(sink, progress, run, batch, persists))
                .onFailure(UpdatedAtFilterIgnored.class).recoverWithMulti(ignored -> {
                    Log.warnf("%s (reading %s). Falling back to reading newest first down to %s; ask amoCRM support to"
                            + " enable filtering for the account, and run --full now and then", ignored.getMessage(),
                            run.name(), Instant.ofEpochSecond(plan.from()));
                    return scanner.scanNewestFirst(plan).map(batch -> () -> commit(sink, progress, run, batch, false));
                });
        Write complete = () -> sink.planCompleted(run, plan);
        return Multi.createBy().concatenating().streams(
                persists && !plan.resumed() ? Multi.createFrom().item(begin) : Multi.createFrom().empty(),
                pages,
                persists ? Multi.createFrom().item(complete) : Multi.createFrom().empty());
    }

    private static <R> Uni<Void> commit(Sink sink, RunProgress progress, EntityRun<R> run, Batch<R> batch,
            boolean saveWindow) {
        return sink.page(run, batch, saveWindow).replaceWithVoid();
    }
}
