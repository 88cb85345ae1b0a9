package dev.amocrmsync.sync;

import java.util.Optional;

/**
 * A scheduled run of {@code serve} ended, with its report or its failure; fired asynchronously, and the run completes
 * when every observer has (the figures a scrape then reads are the run's).
 */
public record SyncEnded(Optional<SyncReport> report, Optional<Throwable> failure) {
}
