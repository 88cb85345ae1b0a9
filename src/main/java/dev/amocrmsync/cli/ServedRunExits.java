package dev.amocrmsync.cli;

import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

import dev.amocrmsync.metrics.LastRun;
import dev.amocrmsync.sync.SyncEnded;
import dev.amocrmsync.sync.SyncReport;

/**
 * {@code serve}'s scheduled runs, given the exit code a one-shot sync would have returned, so one alert rule watches
 * both deployments. A run that found another one going is no run of its own: the figure stays.
 */
@Singleton
class ServedRunExits {

    private final LastRun lastRun;
    private final DatabaseTarget database;

    ServedRunExits(LastRun lastRun, DatabaseTarget database) {
        this.lastRun = lastRun;
        this.database = database;
    }

    void ended(@ObservesAsync SyncEnded ended) {
        ended.failure().map(failure -> Failure.of(failure, database).exit())
                .or(() -> ended.report().filter(report -> report.outcome() != SyncReport.Outcome.ALREADY_RUNNING)
                        .map(ServedRunExits::exitOf))
                .ifPresent(exit -> lastRun.exited(exit.code));
    }

    static Exit exitOf(SyncReport report) {
        return switch (report.outcome()) {
            case LOCK_STUCK -> Exit.LOCK_STUCK;
            case QUARANTINED -> Exit.QUARANTINED;
            default -> Exit.OK;
        };
    }
}
