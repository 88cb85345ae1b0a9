package dev.amocrmsync.mirror;

import java.util.List;

/**
 * How far one slice of the scan has got: every lead of {@code [from, cursorSecond)} is written, and of the leads updated
 * at {@code cursorSecond} those in {@code cursorIds}. Seconds are unix seconds, bounds inclusive.
 */
public record WindowProgress(int number, long from, long to, long cursorSecond, List<Long> cursorIds, boolean done) {

    public WindowProgress {
        cursorIds = List.copyOf(cursorIds);
    }
}
