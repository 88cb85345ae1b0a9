package dev.amocrmsync.sync;

/** Counters a committed page adds to its run's history row. */
public record RunCounts(int pages, int requests, int leadsRead, int inserted, int updated, int quarantined) {
}
