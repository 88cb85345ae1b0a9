package dev.amocrmsync.sync;

import java.time.Instant;
import java.util.Optional;

/** What the operator asked for. */
public record SyncRequest(Kind kind, Optional<Instant> since, boolean dryRun, boolean verbose) {

    public enum Kind {
        /** Everything changed since the last run (the default). */
        INCREMENTAL,
        /** Every lead of the account, and the bin of deleted ones. */
        FULL,
        /** Everything changed since the given instant. */
        SINCE
    }

    public static SyncRequest incremental() {
        return new SyncRequest(Kind.INCREMENTAL, Optional.empty(), false, false);
    }

    public static SyncRequest full() {
        return new SyncRequest(Kind.FULL, Optional.empty(), false, false);
    }

    public static SyncRequest since(Instant since) {
        return new SyncRequest(Kind.SINCE, Optional.of(since), false, false);
    }

    public SyncRequest dryRun(boolean dryRun) {
        return new SyncRequest(kind, since, dryRun, verbose);
    }

    public SyncRequest verbose(boolean verbose) {
        return new SyncRequest(kind, since, dryRun, verbose);
    }
}
