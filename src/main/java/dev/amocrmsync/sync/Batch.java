package dev.amocrmsync.sync;

import java.util.List;

import dev.amocrmsync.store.DealRow;
import dev.amocrmsync.store.Quarantined;
import dev.amocrmsync.store.WindowProgress;

/**
 * What one answer from amoCRM gave: rows to upsert, leads to quarantine, and the window progress to save with them,
 * all committed in one transaction. {@code window} is null outside the windowed scan.
 */
record Batch(WindowProgress window, List<DealRow> rows, List<Quarantined> quarantined) {

    int leads() {
        return rows.size() + quarantined.size();
    }
}
