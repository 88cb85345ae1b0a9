package dev.amocrmsync.sync;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

/**
 * Stops runs cleanly when the process is told to stop (SIGTERM from Kubernetes or systemd): no new request is started,
 * the page being committed finishes or rolls back whole, and the run is recorded as interrupted before the database
 * pool closes. Shutdown observers run before Quarkus closes the datasource, so waiting here is safe.
 */
@ApplicationScoped
public class RunControl {

    private final SyncConfig config;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopping;

    RunControl(SyncConfig config) {
        this.config = config;
    }

    /** Fails with {@link RunInterrupted} once a stop was requested: called before every request to amoCRM. */
    void checkNotStopping() {
        if (stopping) {
            throw new RunInterrupted();
        }
    }

    public boolean stopping() {
        return stopping;
    }

    <T> Uni<T> tracked(Uni<T> run) {
        return Uni.createFrom().deferred(() -> {
            running.incrementAndGet();
            return run;
        }).eventually(running::decrementAndGet);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        long deadline = System.nanoTime() + config.stopGrace().toNanos();
        if (running.get() > 0) {
            Log.warn("Stop requested: finishing the page in flight, then recording the run as interrupted");
        }
        while (running.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
