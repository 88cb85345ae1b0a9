package dev.amocrmsync.scan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.amocrmsync.amocrm.EntityQuery;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.WindowProgress;

/**
 * One time slice {@code [from, to]} (unix seconds, inclusive) of a scan, read in ascending {@code updated_at} with a
 * keyset cursor instead of page numbers: every request is page 1 from the last second written, skipping the ids already
 * written at that second. A lead edited mid-scan moves past the frozen upper bound and waits for the next run; nothing
 * shifts, so nothing is skipped.
 * <p>
 * A full page whose leads all share one second means that second holds at least a page of leads, more than a keyset
 * on seconds can step over. That second is then read by id ({@code from = to}). Leads can only leave a past second (an
 * edit moves them to now), never enter it, which gives two proofs that every lead still there was seen:
 * <ul>
 * <li><b>The two ends meet</b> (a second of up to two pages, what robots and bulk edits stamp): the lowest ids
 * ({@code order[id]=asc}, page 1) and then the highest ({@code order[id]=desc}, page 1). If the highest page's lowest id
 * is at most the lowest page's highest id, a lead present at both reads has an id in one page or the other; a page
 * shorter than {@code limit} is the whole second by itself.
 * <li><b>Equal passes</b> (larger seconds, or when the ends do not meet): page numbers in id order, in passes until two
 * consecutive passes return the same number of leads. Every departure during a pass shortens that pass by exactly
 * one, so equal counts prove the last pass saw every lead still there.
 * </ul>
 * <p>
 * A list that may ignore {@code order[updated_at]} (tasks, notes: {@code unordered}) cannot be read by a keyset on
 * seconds. Its windows are read by id from the start, with the same proof: the two ends of the window meet, and the
 * window is whole in two requests (one, when its lowest page is short). Items can only leave a window under the run's
 * frozen bound, never enter it, whatever the window's width. When the ends do not meet, the window holds more than two
 * pages: it is split in time where the items of its two pages say its items lie ({@link #unprovenParts(int, int)}), and each
 * part is read the same way; a single second that still does not meet gets the equal passes.
 * <p>
 * Not thread-safe by itself: its window's requests are sequential, and the splitting done by {@link WindowPool} is
 * synchronized with them.
 */
final class WindowScan {

    private final int number;
    private final boolean ordered;
    private final long from;
    private long to;
    private long cursorSecond;
    private final Set<Long> cursorIds;
    private Saturation saturation;
    private boolean done;
    // leads per second of the latest page: accounts get busier over time, so the latest page predicts the rest
    // better than an average since the window's start (which, for a full sync, is 1970). Zero until the window has
    // read a page of its own, so it is never split on a guess taken from the window it came from.
    private double density;

    // an unordered window whose ends did not meet: the updated_at of the items both its pages held, where to split it,
    // and how many items it is guessed to hold
    private List<Long> unproven;
    private double guessedItems;

    /** Enumeration by id of one crowded second, or of an unordered window ({@code from < to}). */
    private static final class Saturation {
        final long second;
        final long to;
        int page = 1;
        // the highest id of the lowest page, while the highest page is being read; null otherwise
        Long lowestPageTop;
        final Set<Long> seenThisPass = new LinkedHashSet<>();
        int previousPass = -1;
        boolean newIdsThisPass;

        // the updated_at of the lowest page's items and its lowest id, while the highest is read
        final List<Long> lowestPageTimes = new ArrayList<>();
        long lowestPageBottom = Long.MAX_VALUE;

        Saturation(long second) {
            this(second, second);
        }

        Saturation(long from, long to) {
            this.second = from;
            this.to = to;
        }
    }

    private WindowScan(int number, boolean ordered, long from, long to, long cursorSecond, Set<Long> cursorIds,
            boolean done) {
        this.number = number;
        this.ordered = ordered;
        this.from = from;
        this.to = to;
        this.cursorSecond = cursorSecond;
        this.cursorIds = cursorIds;
        this.done = done || cursorSecond > to;
        if (!ordered && !this.done) {
            this.saturation = new Saturation(from, to);
        }
    }

    static WindowScan fresh(int number, long from, long to) {
        return fresh(number, from, to, true);
    }

    /** A window of a list read by its keyset on {@code updated_at} ({@code ordered}), or by id ({@code !ordered}). */
    static WindowScan fresh(int number, long from, long to, boolean ordered) {
        return new WindowScan(number, ordered, from, to, from, new LinkedHashSet<>(), false);
    }

    static WindowScan resumed(WindowProgress progress, boolean ordered) {
        // an unordered window keeps no cursor inside it: one not done is read again whole
        return ordered ? new WindowScan(progress.number(), true, progress.from(), progress.to(),
                progress.cursorSecond(), new LinkedHashSet<>(progress.cursorIds()), progress.done())
                : new WindowScan(progress.number(), false, progress.from(), progress.to(), progress.from(),
                        new LinkedHashSet<>(), progress.done());
    }

    synchronized EntityQuery nextQuery(String entity, String with, int limit) {
        if (saturation != null) {
            EntityQuery.Order order = saturation.lowestPageTop != null ? EntityQuery.Order.ID_DESC
                    : EntityQuery.Order.ID_ASC;
            int page = saturation.lowestPageTop != null ? 1 : saturation.page;
            return EntityQuery.updatedBetween(entity, with, saturation.second, saturation.to, order, page, limit);
        }
        return EntityQuery.updatedBetween(entity, with, cursorSecond, to, EntityQuery.Order.UPDATED_AT_ASC, 1, limit);
    }

    /**
     * Takes the answer to {@link #nextQuery(String, String, int)} and returns the leads not written yet.
     *
     * @param leads the answer's leads that have an id and updated_at, in the order received
     * @param answered how many leads the answer held in all; a page shorter than {@code limit} is the last
     */
    synchronized List<Keyed> accept(List<Keyed> leads, int answered, int limit) {
        if (done) {
            return List.of();
        }
        return saturation != null ? acceptSaturated(leads, answered, limit) : acceptKeyset(leads, answered, limit);
    }

    private List<Keyed> acceptKeyset(List<Keyed> leads, int answered, int limit) {
        List<Keyed> inRange = new ArrayList<>(leads.size());
        boolean pastEnd = false;
        for (Keyed lead : leads) {
            if (lead.updatedAt() < cursorSecond) {
                throw new UpdatedAtFilterIgnored(lead.id(), lead.updatedAt(), cursorSecond);
            }
            if (lead.updatedAt() > to) {
                pastEnd = true;
            } else {
                inRange.add(lead);
            }
        }
        List<Keyed> fresh = new ArrayList<>(inRange.size());
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Keyed lead : inRange) {
            if (lead.updatedAt() > cursorSecond || !cursorIds.contains(lead.id())) {
                fresh.add(lead);
            }
            first = Math.min(first, lead.updatedAt());
            last = Math.max(last, lead.updatedAt());
        }
        if (!inRange.isEmpty()) {
            density = (double) inRange.size() / (last - Math.max(first, cursorSecond) + 1);
            if (last != cursorSecond) {
                cursorSecond = last;
                cursorIds.clear();
            }
            for (Keyed lead : inRange) {
                if (lead.updatedAt() == last) {
                    cursorIds.add(lead.id());
                }
            }
        }
        if (answered < limit || pastEnd || inRange.isEmpty()) {
            done = true;
        } else if (first == last) {
            saturation = new Saturation(last);
        }
        return fresh;
    }

    private List<Keyed> acceptSaturated(List<Keyed> leads, int answered, int limit) {
        Saturation s = saturation;
        List<Keyed> fresh = new ArrayList<>();
        if (s.lowestPageTop != null) {
            return acceptHighestPage(s, leads, answered, limit);
        }
        long top = Long.MIN_VALUE;
        boolean ascending = true;
        boolean firstPageOfFirstPass = s.page == 1 && s.previousPass < 0;
        for (Keyed lead : ofRange(leads, s.second, s.to)) {
            ascending &= lead.id() > top;
            top = Math.max(top, lead.id());
            if (firstPageOfFirstPass) {
                s.lowestPageTimes.add(lead.updatedAt());
                s.lowestPageBottom = Math.min(s.lowestPageBottom, lead.id());
            }
            if (s.seenThisPass.add(lead.id()) && cursorIds.add(lead.id())) {
                fresh.add(lead);
                s.newIdsThisPass = true;
            }
        }
        if (firstPageOfFirstPass && answered < limit) {
            secondSeen(s);
        } else if (firstPageOfFirstPass && top != Long.MIN_VALUE && ascending) {
            // only an answer in id order is the lowest ids: an API that ignored order[id] gets the passes
            s.lowestPageTop = top;
        } else if (answered >= limit) {
            s.page++;
        } else if (s.seenThisPass.size() == s.previousPass && !s.newIdsThisPass) {
            secondSeen(s);
        } else {
            s.previousPass = s.seenThisPass.size();
            s.seenThisPass.clear();
            s.newIdsThisPass = false;
            s.page = 1;
        }
        return fresh;
    }

    /** The highest ids of the crowded second: done if they meet the lowest, else the passes go on from page 2. */
    private List<Keyed> acceptHighestPage(Saturation s, List<Keyed> leads, int answered, int limit) {
        List<Keyed> fresh = new ArrayList<>();
        List<Long> times = new ArrayList<>(s.lowestPageTimes);
        long bottom = Long.MAX_VALUE;
        long top = Long.MIN_VALUE;
        boolean descending = true;
        for (Keyed lead : ofRange(leads, s.second, s.to)) {
            descending &= lead.id() < bottom;
            bottom = Math.min(bottom, lead.id());
            top = Math.max(top, lead.id());
            times.add(lead.updatedAt());
            if (cursorIds.add(lead.id())) {
                fresh.add(lead);
            }
        }
        if (descending && (answered < limit || bottom <= s.lowestPageTop)) {
            secondSeen(s);
        } else if (descending && s.second < s.to) {
            // more than two pages in a window of several seconds: split it where its items lie, read each part alike;
            // how many lie between the two pages is guessed from how densely ids fill the pages
            unproven = times;
            double idsPerItem = Math.max(1.0, (double) (s.lowestPageTop - s.lowestPageBottom + top - bottom + 2)
                    / Math.max(1, times.size()));
            guessedItems = times.size() + Math.max(0, bottom - s.lowestPageTop - 1) / idsPerItem;
        } else {
            s.lowestPageTop = null;
            s.page = 2;
        }
        return fresh;
    }

    /**
     * After an unordered window's ends did not meet: this window keeps the first part of its range and starts over on
     * it, and the other parts are returned as new windows, numbered from {@code firstNumber}. The split points are
     * quantiles of the {@code updated_at} of the items its two pages held, so each part is expected to hold about as
     * many; a wrong guess costs a request or two, never an item. Empty otherwise.
     */
    synchronized List<WindowScan> unprovenParts(int firstNumber, int limit) {
        if (unproven == null) {
            return List.of();
        }
        List<Long> times = unproven.stream().filter(t -> t >= from && t <= to).sorted().toList();
        int unprovenSamples = times.size();
        // each part aims just under two pages: the two ends of a part of up to two pages meet, so a part costs two
        // requests for up to two pages' worth; a guess too low costs that part a split of its own
        int parts = (int) Math.min(64, Math.max(2, Math.ceil(guessedItems / (1.8 * limit))));
        java.util.TreeSet<Long> starts = new java.util.TreeSet<>();
        for (int i = 1; i < parts && !times.isEmpty(); i++) {
            starts.add(times.get(i * times.size() / parts));
        }
        // a second holding a part's worth of the samples (a robot's bulk edit) becomes a part of its own, read by id
        java.util.Map<Long, Long> perSecond = new java.util.TreeMap<>();
        unproven.stream().filter(t -> t >= from && t <= to).forEach(t -> perSecond.merge(t, 1L, Long::sum));
        long heavy = Math.max(2, unprovenSamples / parts);
        perSecond.forEach((second, count) -> {
            if (count >= heavy) {
                starts.add(second);
                starts.add(second + 1);
            }
        });
        starts.removeIf(at -> at <= from || at > to);
        if (starts.isEmpty()) {
            starts.add(from + (to - from + 1) / 2);
        }
        List<Long> bounds = new ArrayList<>(starts);
        unproven = null;
        List<WindowScan> others = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) {
            long end = i + 1 < bounds.size() ? bounds.get(i + 1) - 1 : to;
            others.add(fresh(firstNumber + i, bounds.get(i), end, false));
        }
        to = bounds.get(0) - 1;
        saturation = new Saturation(from, to);
        return others;
    }

    /**
     * The answer's items within the range read by id (a crowded second, an unordered window), in the order received;
     * an older one means the filter was ignored.
     */
    private static List<Keyed> ofRange(List<Keyed> leads, long from, long to) {
        List<Keyed> inRange = new ArrayList<>(leads.size());
        for (Keyed lead : leads) {
            if (lead.updatedAt() < from) {
                throw new UpdatedAtFilterIgnored(lead.id(), lead.updatedAt(), from);
            }
            if (lead.updatedAt() <= to) {
                inRange.add(lead);
            }
        }
        return inRange;
    }

    private void secondSeen(Saturation s) {
        if (!ordered) {
            // the whole window is read
            saturation = null;
            done = true;
            return;
        }
        saturation = null;
        cursorSecond = s.second + 1;
        cursorIds.clear();
        done = cursorSecond > to;
    }

    /**
     * Hands the upper half of what is left to a new window, when at least {@code minPagesLeft} (one or more) pages
     * seem left. With four, each half keeps two or more, and the split point lies beyond the page this window may have
     * in flight, so no request is wasted.
     */
    synchronized Optional<WindowScan> split(int newNumber, int limit, int minPagesLeft) {
        if (done || saturation != null || to - cursorSecond < 1 || estimatedPagesLeft(limit) < minPagesLeft) {
            return Optional.empty();
        }
        long middle = cursorSecond + (to - cursorSecond + 1) / 2;
        WindowScan upper = new WindowScan(newNumber, true, middle, to, middle, new LinkedHashSet<>(), false);
        to = middle - 1;
        return Optional.of(upper);
    }

    /** Pages still to read, estimated from the leads per second of the latest page; 0 before the first page. */
    synchronized double estimatedPagesLeft(int limit) {
        return done ? 0 : density * (to - cursorSecond + 1) / limit;
    }

    synchronized WindowProgress progress() {
        // an unordered window saves only its range and whether it is done
        return new WindowProgress(number, from, to, ordered ? cursorSecond : from,
                ordered ? List.copyOf(cursorIds) : List.of(), done);
    }

    synchronized boolean done() {
        return done;
    }

    int number() {
        return number;
    }
}
