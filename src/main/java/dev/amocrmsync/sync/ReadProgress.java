package dev.amocrmsync.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.amocrmsync.mirror.WindowProgress;
import dev.amocrmsync.scan.Coverage;
import dev.amocrmsync.scan.Plan;
import io.quarkus.logging.Log;

/**
 * How far a run's reading has got, and about how long it has left: per listed entity, the share of its range (amoCRM
 * time) its windows have passed, and from how fast that share grew since the run started, the time left; the run
 * ends when its slowest entity does. Told as one line redrawn in place on a terminal, or as a plain log line every
 * {@code amocrm.sync.progress-every} elsewhere (log files, the journal, JSON logs). Event-log entities are read
 * newest first with no window to measure: they are left out.
 */
final class ReadProgress {

    private static final long REDRAW_NANOS = Duration.ofMillis(100).toNanos();

    private record Scan(Coverage coverage, double before) {
    }

    private final Map<String, Scan> scans = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private final long everyNanos;
    private final Optional<ConsoleLine> console;
    private long toldAt = started;
    private boolean drawn;

    ReadProgress(Duration every, Optional<ConsoleLine> console) {
        this(every.toNanos(), console);
    }

    private ReadProgress(long everyNanos, Optional<ConsoleLine> console) {
        this.everyNanos = everyNanos;
        this.console = console;
    }

    /** Tells nothing: a benchmark's commits. */
    static ReadProgress quiet() {
        return new ReadProgress(Long.MAX_VALUE, Optional.empty());
    }

    /** An entity's plans, before its first page: what is already read of them (a resumed scan) is no progress now. */
    synchronized void planned(String entity, List<Plan> plans) {
        Coverage coverage = Coverage.of(plans);
        scans.put(entity, new Scan(coverage, coverage.fraction()));
    }

    /** A committed page of a window. */
    synchronized void advanced(String entity, WindowProgress window) {
        Scan scan = scans.get(entity);
        if (scan == null || window == null) {
            return;
        }
        scan.coverage().advanced(window);
        long now = System.nanoTime();
        if (console.isPresent()) {
            if (now - toldAt >= REDRAW_NANOS || scan.coverage().fraction() >= 1.0) {
                console.get().draw(line(now));
                drawn = true;
                toldAt = now;
            }
        } else if (now - toldAt >= everyNanos) {
            Log.info(line(now));
            toldAt = now;
        }
    }

    /** Before a log line of the run's own: the line redrawn in place must not be left in front of it. */
    synchronized void beforeLog() {
        if (drawn) {
            console.ifPresent(ConsoleLine::clear);
            drawn = false;
        }
    }

    /**
     * "Progress: 37% of the range read, about 1m 05s left (leads 37%, contacts 80%)": the run is as far as its slowest
     * entity (an entity with nothing new is read in one request, and would make an average look close to done).
     */
    private String line(long now) {
        double slowest = 1.0;
        List<String> each = new ArrayList<>();
        for (Map.Entry<String, Scan> entry : scans.entrySet()) {
            double fraction = entry.getValue().coverage().fraction();
            slowest = Math.min(slowest, fraction);
            each.add(entry.getKey() + " " + percent(fraction));
        }
        // the time left before the entities: a terminal cuts the line at its width
        return "Progress: " + percent(slowest) + " of the range read, " + left(now).map(left -> "about " + duration(left)
                + " left").orElse(slowest >= 1.0 ? "reading done" : "time left known after a few pages")
                + (each.isEmpty() ? "" : " (" + String.join(", ", each) + ")");
    }

    /** The slowest entity's time left at the pace it has kept since the start; empty while one has not moved yet. */
    private Optional<Duration> left(long now) {
        double elapsed = now - started;
        double longest = 0;
        boolean unfinished = false;
        for (Scan scan : scans.values()) {
            double fraction = scan.coverage().fraction();
            if (fraction >= 1.0) {
                continue;
            }
            unfinished = true;
            double gained = fraction - scan.before();
            if (gained <= 0) {
                return Optional.empty();
            }
            longest = Math.max(longest, elapsed * (1.0 - fraction) / gained);
        }
        return unfinished ? Optional.of(Duration.ofNanos((long) longest)) : Optional.empty();
    }

    static String percent(double fraction) {
        // 99% until it is all read: "100%" with a window still open would be a promise the tail may not keep
        long percent = fraction >= 1.0 ? 100 : Math.min(99, (long) Math.floor(fraction * 100));
        return percent + "%";
    }

    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return "%dm %02ds".formatted(seconds / 60, seconds % 60);
        }
        return "%dh %02dm".formatted(seconds / 3600, seconds % 3600 / 60);
    }
}
