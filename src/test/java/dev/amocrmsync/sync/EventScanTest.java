package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.amocrm.MalformedResponse;
import dev.amocrmsync.simulator.AccountAccess;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.SettableClock;

/**
 * The event-log scan against the simulated account's real query semantics (events sharing a second shuffled on every
 * request), without HTTP or a database: every event of the range is read, once.
 */
class EventScanTest {

    private static final long START = 1_750_000_000L;

    private final SettableClock clock = new SettableClock(START);

    /** What an event says, ids aside: what the test itself did to the account. */
    private record Said(String type, long lead, long second) {
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5 })
    void readsEverySixHundredEventsOfOneSecond(long seed) {
        SimulatedAccount account = account(seed, 1_000);
        List<Long> ids = List.copyOf(account.liveLeads().keySet()).subList(0, 600);
        account.deleteAll(ids, START - 100);

        EventScan scan = new EventScan(START - 3_600, START);
        int requests = scan(account, scan);

        assertThat(read).hasSize(600);
        assertThat(read).extracting(EventsPage.Event::entityId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(requests).as("requests for 600 events of one second").isLessThan(160);
    }

    @Test
    void pageNumbersAloneLoseEventsOfACrowdedSecond() {
        SimulatedAccount account = account(6, 1_000);
        account.deleteAll(List.copyOf(account.liveLeads().keySet()).subList(0, 600), START - 100);

        Set<String> seen = new HashSet<>();
        for (int page = 1; page <= 6; page++) {
            AccountAccess.events(account, START - 3_600, START, page, 100).forEach(event -> seen.add(event.id()));
        }

        assertThat(seen).as("the simulator is as strict as amoCRM: paging one second by number misses events")
                .hasSizeLessThan(600);
    }

    @ParameterizedTest
    @ValueSource(ints = { 99, 100, 101, 200, 250 })
    void aSecondAroundAPageIsReadWhole(int events) {
        SimulatedAccount account = account(7, 1_000);
        List<Long> ids = List.copyOf(account.liveLeads().keySet());
        account.deleteAll(ids.subList(0, events), START - 100);
        account.deleteAll(ids.subList(events, events + 30), START - 101);
        account.deleteAll(ids.subList(events + 30, events + 40), START - 99);

        EventScan scan = new EventScan(START - 3_600, START);
        scan(account, scan);

        assertThat(read).extracting(EventsPage.Event::entityId)
                .containsExactlyInAnyOrderElementsOf(ids.subList(0, events + 40));
    }

    @ParameterizedTest
    @ValueSource(longs = { 8, 9, 10 })
    void readsEveryEventOfARangeOnceWhateverItsCrowds(long seed) {
        SimulatedAccount account = account(seed, 4_000);
        Random random = new Random(seed);
        List<Long> live = new ArrayList<>(account.liveLeads().keySet());
        List<Long> binned = new ArrayList<>();
        List<Said> said = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long second = START - 2_000 + random.nextInt(40) * 7;
            if (!binned.isEmpty() && random.nextInt(3) == 0) {
                List<Long> back = take(binned, 1 + random.nextInt(Math.min(binned.size(), 120)), random);
                account.restoreAll(back, second);
                back.forEach(id -> said.add(new Said("lead_restored", id, second)));
                live.addAll(back);
            } else {
                List<Long> gone = take(live, 1 + random.nextInt(random.nextBoolean() ? 80 : 260), random);
                account.deleteAll(gone, second);
                gone.forEach(id -> said.add(new Said("lead_deleted", id, second)));
                binned.addAll(gone);
            }
        }

        EventScan scan = new EventScan(START - 2_000, START);
        scan(account, scan);

        assertThat(read).extracting(event -> new Said(event.type(), event.entityId(), event.createdAt()))
                .containsExactlyInAnyOrderElementsOf(said);
    }

    @Test
    void deletionsWhileTheLogIsReadStayForTheNextRun() {
        SimulatedAccount account = account(11, 3_000);
        List<Long> ids = new ArrayList<>(account.liveLeads().keySet());
        List<Long> bulk = List.copyOf(ids.subList(0, 600));
        account.deleteAll(bulk, START - 1);
        List<Long> later = new ArrayList<>(ids.subList(600, 3_000));
        // every request, time passes and a manager deletes a few more leads
        account.onEventsRequest(() -> {
            clock.advance(1);
            account.deleteAll(later.subList(0, 3), account.now());
            later.subList(0, 3).clear();
        });

        EventScan scan = new EventScan(START - 3_600, START - 1);
        scan(account, scan);

        assertThat(read).extracting(EventsPage.Event::entityId).containsExactlyInAnyOrderElementsOf(bulk);
    }

    @Test
    void anEmptyRangeSendsNoRequest() {
        assertThat(new EventScan(START, START - 1).done()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void scansSplittingTheRangeWhileTheirRequestsAreInFlightReadEveryEventOnce(long seed) {
        SimulatedAccount account = account(seed, 2_000);
        List<Long> ids = new ArrayList<>(account.liveLeads().keySet());
        Random random = new Random(seed);
        List<Long> deleted = new ArrayList<>();
        for (int group = 0; group < 40; group++) {
            List<Long> some = take(ids, 25, random);
            account.deleteAll(some, START - 3_500 + group * 80L + random.nextInt(40));
            deleted.addAll(some);
        }
        List<Long> crowd = take(ids, 300, random);
        account.deleteAll(crowd, START - 1_000);
        deleted.addAll(crowd);
        EventRanges ranges = new EventRanges(new EventScan(START - 3_600, START), 3);
        List<EventScan> scans = new ArrayList<>();
        ranges.scans().subscribe().with(scans::add);

        int requests = 0;
        while (scans.stream().anyMatch(scan -> !scan.done())) {
            assertThat(requests).as("the scans end").isLessThan(10_000);
            // every active scan asks before any answer is taken: a split lands while the others' requests are out
            List<EventScan> asking = scans.stream().filter(scan -> !scan.done()).toList();
            List<EventScan.Request> asked = asking.stream().map(EventScan::next).toList();
            for (int i = 0; i < asking.size(); i++) {
                EventScan.Request next = asked.get(i);
                requests++;
                read.addAll(asking.get(i).accept(next,
                        AccountAccess.events(account, next.from(), next.to(), next.page(), EventScan.PAGE)));
                ranges.afterPage(asking.get(i));
            }
        }

        assertThat(scans).as("the range was read by several scans").hasSizeGreaterThan(2);
        assertThat(read).extracting(EventsPage.Event::entityId).containsExactlyInAnyOrderElementsOf(deleted);
    }

    @Test
    void aSplitWhileARequestIsOutLeavesTheOlderEventsOfItsAnswerToTheNewScan() {
        // one event a second for 150 seconds, then 49 events half an hour older
        List<EventsPage.Event> recent = IntStream.range(0, 150).mapToObj(i -> event("e" + i, START - i)).toList();
        List<EventsPage.Event> old = IntStream.range(0, 49).mapToObj(i -> event("old" + i, START - 2_000 - i)).toList();
        EventScan scan = new EventScan(START - 3_600, START);
        scan.accept(scan.next(), recent.subList(0, 100));
        EventScan.Request out = scan.next();

        EventScan older = scan.splitOff().orElseThrow();
        List<EventsPage.Event> answer = new ArrayList<>(recent.subList(99, 150));
        answer.addAll(old);
        List<EventsPage.Event> kept = scan.accept(out, answer);

        assertThat(answer).hasSize(EventScan.PAGE);
        assertThat(scan.done()).as("a full answer reaching below the new lower bound covers the rest").isTrue();
        assertThat(kept).as("only the events of its own range not read before").extracting(EventsPage.Event::id)
                .containsExactlyElementsOf(recent.subList(100, 150).stream().map(EventsPage.Event::id).toList());
        EventScan.Request first = older.next();
        assertThat(first.to()).as("the older scan's range").isLessThan(START - 149).isGreaterThanOrEqualTo(START - 2_000);
        assertThat(older.accept(first, old)).containsExactlyElementsOf(old);
        assertThat(older.done()).isTrue();
    }

    @Test
    void anIgnoredCreatedAtFilterIsDetected() {
        EventScan scan = new EventScan(START - 60, START);

        assertThatThrownBy(() -> scan.accept(scan.next(), List.of(event("a", START - 61), event("b", START - 30))))
                .isInstanceOf(MalformedResponse.class).hasMessageContaining("ignores its created_at filter");
    }

    @Test
    void aSecondThatNeverShowsAllItsEventsFailsTheRunInsteadOfLosingThem() {
        // the second holds 150 events by its page sizes, but page 1 always shows the same 100 and page 2 50 of them
        EventScan scan = new EventScan(START - 60, START);
        List<EventsPage.Event> hundred = IntStream.range(0, 100).mapToObj(i -> event("e" + i, START - 10)).toList();

        assertThatThrownBy(() -> {
            for (int i = 0; i < 10_000 && !scan.done(); i++) {
                EventScan.Request next = scan.next();
                scan.accept(next, next.page() == 1 ? hundred : hundred.subList(0, 50));
            }
        }).isInstanceOf(EventsIncomplete.class).hasMessageContaining("holds 150 deletion events")
                .hasMessageContaining("only 100 distinct");
    }

    private SimulatedAccount account(long seed, int leads) {
        SimulatedAccount account = new SimulatedAccount(seed, clock);
        account.addLeads(leads, java.time.Duration.ofDays(30));
        return account;
    }

    private static List<Long> take(List<Long> from, int count, Random random) {
        java.util.Collections.shuffle(from, random);
        List<Long> taken = new ArrayList<>(from.subList(0, Math.min(count, from.size())));
        from.subList(0, taken.size()).clear();
        return taken;
    }

    private static EventsPage.Event event(String id, long second) {
        return new EventsPage.Event(id, "lead_deleted", 1L, "lead", second);
    }

    private final List<EventsPage.Event> read = new ArrayList<>();

    private int scan(SimulatedAccount account, EventScan scan) {
        int requests = 0;
        while (!scan.done()) {
            assertThat(requests++).as("the scan ends").isLessThan(10_000);
            EventScan.Request next = scan.next();
            read.addAll(scan.accept(next,
                    AccountAccess.events(account, next.from(), next.to(), next.page(), EventScan.PAGE)));
        }
        return requests;
    }
}
