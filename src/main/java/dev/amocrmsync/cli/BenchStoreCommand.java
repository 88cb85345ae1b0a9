package dev.amocrmsync.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.leads.DealRow;
import dev.amocrmsync.leads.Leads;
import dev.amocrmsync.leads.StatusLabel;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.WindowProgress;
import dev.amocrmsync.simulator.AccountJson;
import dev.amocrmsync.simulator.Catalog;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.sync.StoreBenchmark;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's database-only measurement (see src-native-docs/benchmark.md): realistic leads from the simulated
 * account, mapped exactly as a sync maps them before the clock starts, then committed through a run's own path into
 * an empty scratch database.
 */
@Command(name = "bench-store", hidden = true, mixinStandardHelpOptions = true, description = "Upsert synthetic pages through the sync's commit path into an EMPTY scratch database and print"
        + " leads per second.")
class BenchStoreCommand implements Callable<Integer> {

    @Option(names = "--leads", defaultValue = "20000")
    int leads;

    private final Launcher launcher;
    private final StoreBenchmark benchmark;
    private final Leads deals;
    private final ObjectMapper json;

    BenchStoreCommand(Launcher launcher, StoreBenchmark benchmark, Leads deals, ObjectMapper json) {
        this.launcher = launcher;
        this.benchmark = benchmark;
        this.deals = deals;
        this.json = json;
    }

    @Override
    public Integer call() {
        try {
            launcher.prepareDatabase();
            RowMapper<DealRow> mapper = deals.mapperKnowing(Catalog.PIPELINES.stream()
                    .flatMap(p -> p.statuses().stream().map(s -> new StatusLabel(p.id(), s.id(), p.name(), s.name())))
                    .toList());
            StoreBenchmark.Result result = VertxContextSupport.subscribeAndAwait(() -> pages(mapper)
                    .chain(pages -> benchmark.run(deals.entity(), mapper, pages)));
            Log.infof("bench-store: %d leads in %d pages in %.2f s: %.0f leads/s", result.items(), result.pages(),
                    result.took().toMillis() / 1000.0, result.itemsPerSecond());
            return Exit.OK.code;
        } catch (Throwable e) {
            return launcher.failed(e);
        }
    }

    /** Mapped before the clock starts; mapping completes on the caller's event loop, which must not be blocked. */
    private Uni<List<Batch<DealRow>>> pages(RowMapper<DealRow> mapper) {
        SimulatedAccount account = SimulatedAccount.withLeads(7, leads, Duration.ofDays(30));
        List<List<JsonNode>> pages = new ArrayList<>();
        List<JsonNode> page = new ArrayList<>();
        for (JsonNode lead : AccountJson.leads(account, json)) {
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
                .onItem().transformToUniAndConcatenate(each -> batch(each, mapper))
                .collect().asList();
    }

    private static Uni<Batch<DealRow>> batch(List<JsonNode> page, RowMapper<DealRow> mapper) {
        Keyed.Split split = Keyed.split(page);
        long last = split.keyed().get(split.keyed().size() - 1).updatedAt();
        return mapper.map(split.keyed()).map(mapped -> new Batch<>(
                new WindowProgress(1, 0, Long.MAX_VALUE, last, List.of(), false), mapped.rows(), mapped.quarantined()));
    }
}
