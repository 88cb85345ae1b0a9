package dev.amocrmsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.amocrm.MalformedResponse;
import io.quarkus.logging.Log;

/**
 * The events of {@code [from, to]} (unix seconds, inclusive), read newest first without stepping page numbers over a
 * list whose tie order changes: {@code to} is the run's frozen upper bound, so amoCRM adds no event to the range while
 * it is read, and every request is page 1 of {@code [from, cursor]}. A full page spanning several seconds holds every
 * event of each second but its oldest; the cursor moves down to that oldest second, which is read again, and events
 * are de-duplicated by id.
 * <p>
 * A full page whose events all share one second means that second holds at least a page of events, and the events API
 * offers nothing to split a second deterministically: no order by id, no filter by event id ({@code filter[entity_id]}
 * narrows only to leads already known, ten at a time). The second is then requested alone ({@code from = to = s})
 * page after page, in passes. Whatever order amoCRM gives each request, the page sizes of one pass add up to the
 * number N of events the second holds; the second is complete once N distinct ids have been seen, an exact test and
 * not a guess from "a pass brought nothing new" (with one of 600 events still unseen, a pass of six randomly ordered
 * pages misses it again with probability (5/6)^6, about a third). If every request orders ties uniformly at random, a
 * given event
 * stays unseen after requests returning k events in all with probability at most exp(-k/N), so N events at most
 * N·exp(-k/N): once k exceeds N·ln(N·10⁹) that chance is below 10⁻⁹ and the run fails ({@link EventsIncomplete}) rather
 * than apply an incomplete log. A 600-event second takes 35 to 50 requests; a stable tie order takes one pass.
 * <p>
 * Its own requests are sequential, one round trip after another; a long range is read by several scans at once
 * ({@link EventRanges}), each handing the older half of what it has left to a new scan ({@link #splitOff()}), maybe
 * while one of its requests is in flight. An answer then reaching below the scan's new {@code from} covers the rest of
 * its range: those older events are the new scan's to read.
 */
final class EventScan {

    static final int PAGE = AmoCrmClient.EVENTS_PAGE_SIZE;
    private static final double GIVE_UP_BELOW = Math.log(1e9);
    static final double SPLIT_AT = 4;

    /** The next request: {@code filter[created_at][from|to]} and the page. */
    record Request(long from, long to, int page) {
    }

    private long from;
    private long cursor;
    // seconds a full page of the range spanned last: how many pages the rest of the range is likely to take
    private long secondsPerPage = -1;
    // ids of the events read so far: the events themselves go on as they come, so a long history is never held whole
    private final Set<String> read = new HashSet<>();
    private Crowded crowded;
    private boolean done;

    /** One second holding at least a page of events, requested alone in passes until N distinct ids are seen. */
    private static final class Crowded {
        final long second;
        final Set<String> seen = new HashSet<>();
        int page = 1;
        int requests;
        int countedThisPass;
        int count = -1;
        long received;

        Crowded(long second) {
            this.second = second;
        }
    }

    EventScan(long from, long to) {
        this.from = from;
        this.cursor = to;
        this.done = from > to;
    }

    synchronized boolean done() {
        return done;
    }

    synchronized Request next() {
        if (done) {
            throw new IllegalStateException("the events of the range are all read");
        }
        return crowded != null ? new Request(crowded.second, crowded.second, crowded.page) : new Request(from, cursor, 1);
    }

    /**
     * Takes the answer to {@code asked}, a request {@link #next()} gave: its events as received (an empty list for a
     * 204). Returns those of this scan's range not read before, in the order received.
     */
    synchronized List<EventsPage.Event> accept(Request asked, List<EventsPage.Event> page) {
        List<EventsPage.Event> placed = new ArrayList<>(page.size());
        boolean reachedBelow = false;
        List<EventsPage.Event> fresh = new ArrayList<>(page.size());
        for (EventsPage.Event event : page) {
            if (event.createdAt() == null) {
                continue; // nothing to place it by, nor to date a deletion with
            }
            if (event.createdAt() < asked.from() || event.createdAt() > asked.to()) {
                throw new MalformedResponse("amoCRM answered event " + event.id() + " created at " + event.createdAt()
                        + " for filter[created_at] " + asked.from() + ".." + asked.to()
                        + ": the event log ignores its created_at filter", null);
            }
            if (event.createdAt() < from) {
                reachedBelow = true; // the range was split meanwhile: a newer scan reads that part
                continue;
            }
            placed.add(event);
            if (read.add(key(event))) {
                fresh.add(event);
            }
        }
        if (crowded != null) {
            acceptCrowded(page.size(), placed);
        } else {
            acceptRange(page.size(), placed, reachedBelow);
        }
        return fresh;
    }

    private void acceptRange(int answered, List<EventsPage.Event> placed, boolean reachedBelow) {
        // newest first, a full page reaching below from holds every event from there up to the cursor
        if (answered < PAGE || reachedBelow) {
            done = true;
            return;
        }
        if (placed.isEmpty()) {
            throw new MalformedResponse("amoCRM answered a full page of events none of which has created_at", null);
        }
        long oldest = placed.stream().mapToLong(EventsPage.Event::createdAt).min().getAsLong();
        long newest = placed.stream().mapToLong(EventsPage.Event::createdAt).max().getAsLong();
        cursor = oldest;
        secondsPerPage = newest - oldest;
        if (oldest == newest) {
            crowded = new Crowded(oldest);
            placed.forEach(event -> crowded.seen.add(key(event)));
        }
    }

    private void acceptCrowded(int answered, List<EventsPage.Event> placed) {
        Crowded second = crowded;
        second.requests++;
        second.received += answered;
        // only what can be placed in the second counts: an undated event could never be seen as one of it
        second.countedThisPass += placed.size();
        placed.forEach(event -> second.seen.add(key(event)));
        if (answered == PAGE) {
            second.page++;
        } else {
            // the end of a pass: its pages, whatever their order, hold every event of the second once
            second.count = second.countedThisPass;
            second.countedThisPass = 0;
            second.page = 1;
        }
        if (second.count >= 0 && second.seen.size() >= second.count) {
            Log.infof("Events: %d at %s (unix %d) read in %d requests", second.count,
                    Instant.ofEpochSecond(second.second), second.second, second.requests);
            crowded = null;
            cursor = second.second - 1;
            secondsPerPage = -1; // a page of one second says nothing of the seconds below it
            done = cursor < from;
            return;
        }
        int n = Math.max(second.count, second.seen.size());
        if (second.received > n * (Math.log(n) + GIVE_UP_BELOW)) {
            throw new EventsIncomplete(second.second, n, second.seen.size(), second.requests);
        }
    }

    /**
     * Pages the rest of the range likely takes, judged by the last full page: 0 until one was read (a scan's first
     * answer says whether the range is busy at all).
     */
    synchronized double pagesLeft() {
        if (done || crowded != null || secondsPerPage < 0) {
            return 0;
        }
        return (cursor - from) / (double) Math.max(1, secondsPerPage);
    }

    /**
     * The older half of what is left, as a scan of its own, when at least {@link #SPLIT_AT} pages are likely left: a
     * smaller part would spend more on its partial last page than reading it in turn costs.
     */
    synchronized Optional<EventScan> splitOff() {
        if (pagesLeft() < SPLIT_AT || cursor - from < 2) {
            return Optional.empty();
        }
        long middle = from + (cursor - from) / 2;
        EventScan older = new EventScan(from, middle);
        from = middle + 1;
        return Optional.of(older);
    }

    /** Event ids are strings and unique; an event without one is told apart by what it says. */
    private static String key(EventsPage.Event event) {
        return event.id() != null ? event.id()
                : event.type() + "/" + event.entityType() + "/" + event.entityId() + "/" + event.createdAt();
    }
}
