package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.amocrmsync.scan.Plan;

/**
 * Decides what a run reads from what the last runs left. Incremental: first finish a plan a crashed run left, then
 * read from the cursor (or, on a database the original script filled, from its newest deal; on an empty one, the
 * look-back) minus the overlap, up to now. {@code --full} and {@code --since} read their own range; they move the
 * cursor only when that range starts at or before it, so they never leave a gap. {@code upper} is amoCRM's present
 * (minus the current second), never the host's: a range that ends before it starts is nothing to read.
 */
final class Planner {

    /**
     * The plans in order, and the range of deletion events to apply. {@code readsEvents} is false while the table has
     * no row: a deletion can only flag a row, and every item restored up to the run's bound is listed alive and read by
     * the plans, so the event log (every page of it on an account's first full sync) would change nothing.
     */
    record Decision(List<Plan> plans, long eventsFrom, boolean advancesEvents, Optional<Long> lastSync, String basis,
            boolean readsEvents) {
    }

    private Planner() {
    }

    /**
     * @param newestDeal the newest {@code updated_at} in the entity's table, empty when none has one
     * @param rows whether the table holds any row (the original script's rows may have no {@code updated_at})
     */
    static Decision decide(SyncRequest request, SyncState state, Optional<Long> newestDeal, boolean rows, long upper,
            SyncConfig config) {
        long overlap = config.overlap().toSeconds();
        Optional<Long> lastSync = state.cursor().or(() -> newestDeal);
        List<Plan> plans = new ArrayList<>();
        return switch (request.kind()) {
            case FULL -> {
                plans.add(Plan.fresh(0, upper, true));
                yield new Decision(plans, 0, true, lastSync, "a full sync", rows);
            }
            case SINCE -> {
                long since = request.since().orElseThrow().getEpochSecond();
                boolean advances = lastSync.map(cursor -> since <= cursor).orElse(true);
                if (since <= upper) {
                    plans.add(Plan.fresh(since, upper, advances));
                }
                yield new Decision(plans, since, state.eventsCursor().map(cursor -> since <= cursor).orElse(true),
                        lastSync, "changes since --since", rows);
            }
            case INCREMENTAL -> {
                // a cursor or plan beyond amoCRM's present was stamped by a host whose clock ran fast (older versions
                // took "now" from the host): it cannot be trusted to mean "mirrored up to here"
                // (beyond the overlap: each process's reading of amoCRM's clock errs early by up to a second or so)
                boolean ahead = state.cursor().filter(cursor -> cursor > upper + overlap).isPresent()
                        || state.unfinished().filter(plan -> plan.to() > upper + overlap).isPresent();
                String basis;
                long from;
                Optional<SyncState.Plan> unfinished = state.unfinished();
                if (ahead) {
                    from = upper - config.lookBack().toSeconds();
                    basis = "the stored cursor is ahead of amoCRM's clock (a host with a fast clock wrote it): re-reading"
                            + " the last " + config.lookBack().toDays() + " days; run --full if that clock was wrong"
                            + " for longer";
                } else if (unfinished.isPresent()) {
                    plans.add(new Plan(unfinished.get().from(), unfinished.get().to(), unfinished.get().windows(), true));
                    from = unfinished.get().to() - overlap;
                    basis = "resuming the scan an earlier run did not finish";
                } else if (state.cursor().isPresent()) {
                    from = state.cursor().get() - overlap;
                    basis = "changes since the last sync";
                } else if (newestDeal.isPresent() && newestDeal.get() <= upper) {
                    from = newestDeal.get() - overlap;
                    basis = "changes since the newest row in the table (no sync state yet: for deals, a database the"
                            + " original script filled)";
                } else {
                    from = upper - config.lookBack().toSeconds();
                    basis = "first sync: the last " + config.lookBack().toDays() + " days";
                }
                if (from <= upper) {
                    plans.add(Plan.fresh(from, upper, true));
                }
                long firstFrom = plans.isEmpty() ? from : plans.get(0).from();
                long eventsFrom = state.eventsCursor().filter(cursor -> cursor <= upper).map(cursor -> cursor - overlap)
                        .orElse(firstFrom);
                yield new Decision(plans, eventsFrom, true, lastSync.filter(at -> at <= upper), basis, rows);
            }
        };
    }
}
