package dev.amocrmsync.mirror;

import java.util.List;

import dev.amocrmsync.store.WindowProgress;

/**
 * What one answer from amoCRM gave: rows to upsert, items to quarantine, and the window progress to save with them,
 * all committed in one transaction. {@code window} is null outside the windowed scan.
 */
public record Batch<R>(WindowProgress window, List<R> rows, List<Quarantined> quarantined) {

    /** How many items amoCRM listed in this answer (mapped or not). */
    public int items() {
        return rows.size() + quarantined.size();
    }
}
