package dev.amocrmsync.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.amocrm.ApiSpan;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.leads.Leads;
import dev.amocrmsync.scan.Batch;
import dev.amocrmsync.scan.Keyed;
import dev.amocrmsync.scan.RowMapper;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.store.DealRow;
import dev.amocrmsync.store.DealStore;
import dev.amocrmsync.store.RunHistory;
import dev.amocrmsync.store.StatusLabel;
import dev.amocrmsync.store.WindowProgress;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The database path alone, for the benchmark: realistic leads from the simulated account, mapped exactly as a sync
 * maps them, then committed page by page through the sync's own commit (upsert, window cursor, run counters in one
 * transaction) with no API in the way. Refuses a database that already holds deals.
 */
@ApplicationScoped
public class StoreBenchmark {

    /** What one measurement gave. */
    public record Result(int leads, int pages, Duration took) {
        public double leadsPerSecond() {
            return leads / Math.max(0.001, took.toNanos() / 1e9);
        }
    }

    private final Leads leads;
    private final PageCommitter committer;
    private final DealStore deals;
    private final RunHistory history;
    private final ObjectMapper json;
    private final SyncMetrics metrics;

    StoreBenchmark(Leads leads, PageCommitter committer, DealStore deals, RunHistory history, ObjectMapper json,
            SyncMetrics metrics) {
        this.leads = leads;
        this.metrics = metrics;
        this.committer = committer;
        this.deals = deals;
        this.history = history;
        this.json = json;
    }

    public Uni<Result> run(int count) {
        return pages(count).chain(pages -> run(count, pages));
    }

    private Uni<Result> run(int count, List<Batch<DealRow>> pages) {
        return Panache.withSession(deals::held).invoke(held -> {
            if (held.newest().isPresent()) {
                throw new InvalidSettingsException("bench-store writes synthetic deals: point DATABASE_URL at an empty"
                        + " scratch database, never at a real mirror");
            }
        }).chain(() -> history.start("benchmark", "none", null, null)).chain(row -> {
            RunProgress run = new RunProgress(SyncRequest.incremental(), 0, metrics, null, new ApiSpan());
            run.identify(row.id);
            run.started("store benchmark");
            long started = System.nanoTime();
            return Multi.createFrom().iterable(pages)
                    .onItem().transformToUniAndConcatenate(batch -> committer.commit(run, leads, batch, true))
                    .onItem().ignoreAsUni()
                    .map(done -> new Result(count, pages.size(), Duration.ofNanos(System.nanoTime() - started)));
        });
    }

    /** Mapped before the clock starts; mapping completes on the caller's event loop, which must not be blocked. */
    private Uni<List<Batch<DealRow>>> pages(int count) {
        SimulatedAccount account = SimulatedAccount.withLeads(7, count, Duration.ofDays(30));
        RowMapper<DealRow> catalog = leads.mapperKnowing(dev.amocrmsync.simulator.Catalog.PIPELINES.stream()
                .flatMap(p -> p.statuses().stream().map(s -> new StatusLabel(p.id(), s.id(), p.name(), s.name())))
                .toList());
        List<List<JsonNode>> pages = new ArrayList<>();
        List<JsonNode> page = new ArrayList<>();
        for (JsonNode lead : dev.amocrmsync.simulator.AccountJson.leads(account, json)) {
            page.add(lead);
            if (page.size() == 250) {
                pages.add(page);
                page = new ArrayList<>();
            }
        }
        if (!page.isEmpty()) {
            pages.add(page);
        }
        return Multi.createFrom().iterable(pages)
                .onItem().transformToUniAndConcatenate(each -> batch(each, catalog))
                .collect().asList();
    }

    private static Uni<Batch<DealRow>> batch(List<JsonNode> page, RowMapper<DealRow> mapper) {
        Keyed.Split split = Keyed.split(page);
        long last = split.keyed().get(split.keyed().size() - 1).updatedAt();
        return mapper.map(split.keyed()).map(mapped -> new Batch<>(
                new WindowProgress(1, 0, Long.MAX_VALUE, last, List.of(), false), mapped.rows(), mapped.quarantined()));
    }
}
