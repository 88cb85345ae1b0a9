package dev.amocrmsync.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How the last run of this process ended, as the exit code a one-shot sync returns (see operations.md): a run that
 * fails before it is recorded in {@code sync_runs} (amoCRM down, the token refused) is known only here. The codes are
 * the command line's; they are passed down as numbers, so this floor never imports it.
 */
@Singleton
public class LastRun {

    private final MeterRegistry registry;
    private final AtomicInteger exitCode = new AtomicInteger();
    private volatile boolean registered;

    LastRun(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registered at the first run's end: before any run, no series rather than a success that never happened. */
    public void exited(int code) {
        exitCode.set(code);
        if (!registered) {
            registered = true;
            Gauge.builder("amocrm_sync_last_run_exit_code", exitCode, AtomicInteger::get)
                    .description("the exit code of this process' last run: 0 ok, 3 items quarantined, others failed"
                            + " (operations.md, Exit codes)")
                    .register(registry);
        }
    }
}
