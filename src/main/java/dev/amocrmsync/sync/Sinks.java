package dev.amocrmsync.sync;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.mirror.MirrorTables;
import dev.amocrmsync.mirror.RefusedRows;

/** Makes a run's {@link Sink}: one that stores under the run lock, or a dry run's. */
@ApplicationScoped
class Sinks {

    final MirrorTables tables;
    final QuarantineStore quarantine;
    final SyncStateStore state;
    final RunHistory history;
    final ChangedEntities changed;
    final RefusedRows refusedRows;

    Sinks(MirrorTables tables, QuarantineStore quarantine, SyncStateStore state, RunHistory history,
            ChangedEntities changed, RefusedRows refusedRows) {
        this.refusedRows = refusedRows;
        this.tables = tables;
        this.quarantine = quarantine;
        this.state = state;
        this.history = history;
        this.changed = changed;
    }

    Sink storing(RunLock.Held lock, RunProgress progress) {
        return new StoringSink(this, lock, progress);
    }

    Sink dryRun(RunProgress progress) {
        return new DryRun(this, progress);
    }
}
