package dev.amocrmsync.cli;

import java.util.concurrent.Callable;

import dev.amocrmsync.sync.ScheduledSync;
import dev.amocrmsync.sync.Serving;
import dev.amocrmsync.sync.SyncConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.vertx.VertxContextSupport;
import picocli.CommandLine.Command;

/** Long-running: the sync on a cron, with health and metrics over HTTP. What {@code ./mvnw quarkus:dev} starts. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the sync on a schedule (AMOCRM_SYNC_CRON, every 5 minutes by default) and serve /q/health.")
class ServeCommand implements Callable<Integer> {

    private final Launcher launcher;
    private final Serving serving;
    private final ScheduledSync scheduled;
    private final SyncConfig config;

    ServeCommand(Launcher launcher, Serving serving, ScheduledSync scheduled, SyncConfig config) {
        this.launcher = launcher;
        this.serving = serving;
        this.scheduled = scheduled;
        this.config = config;
    }

    @Override
    public Integer call() {
        try {
            launcher.prepareDatabase();
        } catch (RuntimeException e) {
            return launcher.failed(e);
        }
        serving.start();
        Log.infof("Serving: syncing on cron '%s'%s", config.cron(), config.runAtStart() ? ", first run now" : "");
        if (config.runAtStart()) {
            // on a thread of its own, in the safe Vert.x context Hibernate Reactive needs (ticks get one from the scheduler)
            Thread initial = new Thread(() -> {
                try {
                    VertxContextSupport.subscribeAndAwait(scheduled::runNow);
                } catch (Throwable e) {
                    Log.error("The first sync could not start", e);
                }
            }, "first-sync");
            initial.setDaemon(true);
            initial.start();
        }
        Quarkus.waitForExit();
        return Exit.OK.code;
    }
}
