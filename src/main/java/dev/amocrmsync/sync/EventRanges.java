package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/**
 * The event log's range read by several scans at once. One scan is a chain of round trips (each request is page 1 of
 * what is left, its bound taken from the answer before), about 3.5 requests/s at 250 ms: alone, the status history of
 * a large account kept the budget a quarter idle once the lists were read. After every page, while fewer scans are
 * active than may run at once, the scan with the most pages left hands the older half of its range to a new one. The
 * stream of scans completes when the last one is done.
 */
final class EventRanges {

    private final UnicastProcessor<EventScan> scans = UnicastProcessor.create();
    private final List<EventScan> active = new ArrayList<>();
    private final int parallelism;
    private boolean complete;

    EventRanges(EventScan whole, int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        if (!whole.done()) {
            emit(whole);
        }
        completeIfIdle();
    }

    Multi<EventScan> scans() {
        return scans;
    }

    int parallelism() {
        return parallelism;
    }

    /** Called after each page a scan read. */
    synchronized void afterPage(EventScan scan) {
        if (scan.done()) {
            active.remove(scan);
        }
        while (active.size() < parallelism) {
            Optional<EventScan> older = active.stream().max(Comparator.comparingDouble(EventScan::pagesLeft))
                    .flatMap(EventScan::splitOff);
            if (older.isEmpty()) {
                break;
            }
            emit(older.get());
        }
        completeIfIdle();
    }

    private void emit(EventScan scan) {
        active.add(scan);
        scans.onNext(scan);
    }

    private void completeIfIdle() {
        if (active.isEmpty() && !complete) {
            complete = true;
            scans.onComplete();
        }
    }
}
