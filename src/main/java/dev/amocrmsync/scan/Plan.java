package dev.amocrmsync.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.amocrmsync.mirror.WindowProgress;

/**
 * A range of {@code updated_at} to read, frozen when it starts. A plan that {@code advancesCursor} is saved with its
 * windows as it goes, so a crash resumes it, and moves the cursor to {@code to} when done.
 */
public record Plan(long from, long to, List<WindowProgress> resumedWindows, boolean advancesCursor) {

    public static Plan fresh(long from, long to, boolean advancesCursor) {
        return new Plan(from, to, List.of(), advancesCursor);
    }

    public boolean resumed() {
        return !resumedWindows.isEmpty();
    }

    /**
     * The windows to scan: the saved ones, plus any part of the range no saved window covers; read by keyset when the
     * list is {@code ordered} by {@code updated_at}, else by id.
     */
    List<WindowScan> windows(boolean ordered) {
        if (!resumed()) {
            return List.of(WindowScan.fresh(1, from, to, ordered));
        }
        List<WindowProgress> saved = resumedWindows.stream()
                .sorted(Comparator.comparingLong(WindowProgress::from)).toList();
        List<WindowScan> windows = new ArrayList<>(saved.stream().map(window -> WindowScan.resumed(window, ordered))
                .toList());
        int number = saved.stream().mapToInt(WindowProgress::number).max().orElse(0);
        long uncovered = from;
        for (WindowProgress window : saved) {
            if (window.from() > uncovered) {
                windows.add(WindowScan.fresh(++number, uncovered, window.from() - 1, ordered));
            }
            uncovered = Math.max(uncovered, window.to() + 1);
        }
        if (uncovered <= to) {
            windows.add(WindowScan.fresh(++number, uncovered, to, ordered));
        }
        return windows;
    }
}
