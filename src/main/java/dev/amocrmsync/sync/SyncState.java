package dev.amocrmsync.sync;

import java.util.List;
import java.util.Optional;

import dev.amocrmsync.mirror.WindowProgress;

/**
 * What the last runs left: the cursor (unix seconds; everything updated before it is mirrored), the deletion events
 * cursor, and an unfinished plan with its windows when a run did not complete.
 */
public record SyncState(Optional<Long> cursor, Optional<Long> eventsCursor, Optional<Plan> unfinished) {

    public record Plan(long from, long to, List<WindowProgress> windows) {
    }

    public static final SyncState EMPTY = new SyncState(Optional.empty(), Optional.empty(), Optional.empty());
}
