package dev.amocrmsync.cli;

import java.util.concurrent.Callable;

import dev.amocrmsync.sync.StoreBenchmark;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmark's database-only measurement (see src-native-docs/benchmark.md); needs an empty scratch database. */
@Command(name = "bench-store", hidden = true, mixinStandardHelpOptions = true, description = "Upsert synthetic pages through the sync's commit path into an EMPTY scratch database and print"
        + " leads per second.")
class BenchStoreCommand implements Callable<Integer> {

    @Option(names = "--leads", defaultValue = "20000")
    int leads;

    private final Launcher launcher;
    private final StoreBenchmark benchmark;

    BenchStoreCommand(Launcher launcher, StoreBenchmark benchmark) {
        this.launcher = launcher;
        this.benchmark = benchmark;
    }

    @Override
    public Integer call() {
        try {
            launcher.prepareDatabase();
            StoreBenchmark.Result result = VertxContextSupport.subscribeAndAwait(() -> benchmark.run(leads));
            Log.infof("bench-store: %d leads in %d pages in %.2f s: %.0f leads/s", result.leads(), result.pages(),
                    result.took().toMillis() / 1000.0, result.leadsPerSecond());
            return Exit.OK.code;
        } catch (Throwable e) {
            return launcher.failed(e);
        }
    }
}
