package dev.amocrmsync.scan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/**
 * The windows of a plan being scanned. After every page it looks again: while fewer windows are active than may run
 * at once, the window with the most pages left hands its upper half to a new one. Lead density is uneven (accounts
 * get busier, robots stamp bulk edits), so an estimate made once at the start would leave scanners idle; one made
 * after every page keeps them busy to the end. The stream of windows completes when the last one is done.
 */
final class WindowPool {

    private final UnicastProcessor<WindowScan> windows = UnicastProcessor.create();
    private final List<WindowScan> active = new ArrayList<>();
    private final int parallelism;
    private final int limit;
    private int lastNumber;
    private boolean complete;

    WindowPool(Collection<WindowScan> initial, int parallelism, int limit) {
        this.parallelism = Math.max(1, parallelism);
        this.limit = limit;
        initial.forEach(window -> lastNumber = Math.max(lastNumber, window.number()));
        initial.stream().filter(window -> !window.done()).forEach(this::emit);
        completeIfIdle();
    }

    Multi<WindowScan> windows() {
        return windows;
    }

    int parallelism() {
        return parallelism;
    }

    /** Called after each page a window read. */
    synchronized void afterPage(WindowScan window) {
        // an unordered window whose ends did not meet hands the rest of its range over in parts: all are emitted, the
        // merge runs as many at once as the parallelism and queues the others
        for (WindowScan part : window.unprovenParts(lastNumber + 1, limit)) {
            lastNumber = Math.max(lastNumber, part.number());
            emit(part);
        }
        if (window.done()) {
            active.remove(window);
        }
        while (active.size() < parallelism) {
            Optional<WindowScan> upperHalf = active.stream()
                    .sorted(Comparator.comparingDouble((WindowScan w) -> w.estimatedPagesLeft(limit)).reversed())
                    .map(w -> w.split(lastNumber + 1, limit, 4))
                    .flatMap(Optional::stream)
                    .findFirst()
                    .or(() -> lastWindowSplit(window));
            if (upperHalf.isEmpty()) {
                break;
            }
            lastNumber++;
            emit(upperHalf.get());
        }
        completeIfIdle();
    }

    /**
     * Four pages left make a split while several windows share the request budget: a smaller one would spend requests
     * on partial pages the others could use. The last window of a scan splits with one page left, right after it read
     * a page: the budget is mostly idle then, so a partial page costs little while each page read in turn costs a
     * full round trip, and the estimate (from the latest page) runs low at the end of a range, where activity grows
     * towards now on every account. Only then: nothing of that window is in flight, and its estimate is fresh.
     */
    private Optional<WindowScan> lastWindowSplit(WindowScan answered) {
        return active.size() == 1 && active.contains(answered) ? answered.split(lastNumber + 1, limit, 1)
                : Optional.empty();
    }

    private void emit(WindowScan window) {
        active.add(window);
        windows.onNext(window);
    }

    private void completeIfIdle() {
        if (active.isEmpty() && !complete) {
            complete = true;
            windows.onComplete();
        }
    }
}
