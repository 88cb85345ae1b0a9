package dev.amocrmsync.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.WindowProgress;
import dev.amocrmsync.simulator.AccountAccess;
import dev.amocrmsync.simulator.LeadsRequest;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.SettableClock;

/**
 * The keyset scan against the simulated account's real query semantics (ties shuffled on every request), without
 * HTTP or a database: every lead that sits in the range when the scan ends must have been read in that version.
 */
class WindowScanTest {

    private static final int LIMIT = 250;
    private static final long START = 1_750_000_000L;

    private final SettableClock clock = new SettableClock(START);

    @Test
    void readsEveryLeadOnceWhenNothingChanges() {
        SimulatedAccount account = account(1, 1_234);

        Map<Long, Long> read = scan(account, WindowScan.fresh(1, 0, START));

        assertThat(read).isEqualTo(versions(account));
    }

    @Test
    void enumeratesASecondHoldingMoreLeadsThanAPage() {
        SimulatedAccount account = account(2, 300);
        account.stampSecond(START - 500, 777);

        Map<Long, Long> read = scan(account, WindowScan.fresh(1, 0, START));

        assertThat(read).isEqualTo(versions(account));
    }

    @Test
    void aSecondOfUpToTwoPagesIsProvenWithItsLowestAndHighestIds() {
        SimulatedAccount account = account(12, 0);
        long crowded = START - 500;
        account.stampSecond(crowded, 300);
        List<LeadsRequest> requests = new ArrayList<>();
        account.onLeadsRequest(requests::add);

        Map<Long, Long> read = scan(account, WindowScan.fresh(1, 0, crowded));

        assertThat(read).isEqualTo(versions(account));
        assertThat(requests).as("the keyset page, then the lowest and the highest ids; no second pass")
                .extracting(request -> request.orderField() + (request.descending() ? " desc " : " asc ") + request.page())
                .containsExactly("updated_at asc 1", "id asc 1", "id desc 1");
    }

    @ParameterizedTest
    @CsvSource({ "21, 260", "22, 300", "23, 480", "24, 500", "25, 501" })
    void leadsLeavingACrowdedSecondBetweenItsReadsNeverHideOneThatStays(long seed, int crowd) {
        SimulatedAccount account = account(seed, 400);
        long crowded = START - 1_000;
        List<Long> stamped = new ArrayList<>(account.stampSecond(crowded, crowd));
        Random random = new Random(seed);
        // before every request, a few of the crowded second's leads are edited to now: the lowest ids first, the leads
        // whose departure shifts every later page
        account.onLeadsRequest(request -> {
            clock.advance(1);
            stamped.sort(null);
            for (int i = random.nextInt(4); i > 0 && !stamped.isEmpty(); i--) {
                account.edit(stamped.remove(random.nextInt(Math.min(3, stamped.size()))));
            }
        });

        Map<Long, Long> read = scan(account, WindowScan.fresh(1, 0, START));

        versions(account).forEach((id, updatedAt) -> {
            if (updatedAt <= START) {
                assertThat(read).as("lead %d, untouched during the scan, was read", id).containsEntry(id, updatedAt);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(longs = { 3, 4, 5, 6, 7 })
    void editsWhileScanningNeverHideALead(long seed) {
        SimulatedAccount account = account(seed, 2_000);
        account.stampSecond(START - 1_000, 600);
        Random random = new Random(seed);
        // every request, a few leads are edited (moved past the frozen upper bound) or deleted
        account.onLeadsRequest(request -> {
            clock.advance(1);
            account.editRandom(random.nextInt(6));
            if (random.nextInt(10) == 0) {
                account.delete(account.liveLeads().keySet().iterator().next());
            }
        });

        Map<Long, Long> read = scan(account, WindowScan.fresh(1, 0, START));

        versions(account).forEach((id, updatedAt) -> {
            if (updatedAt <= START) {
                assertThat(read).as("lead %d, untouched during the scan, was read", id).containsEntry(id, updatedAt);
            }
        });
    }

    @Test
    void splittingAWindowCoversTheRangeExactlyOnce() {
        SimulatedAccount account = account(8, 10_000);
        WindowScan lower = WindowScan.fresh(1, 0, START);
        Map<Long, Long> read = new HashMap<>();
        Optional<WindowScan> upper = readUntilSplit(account, lower, read);
        assertThat(upper).isPresent();

        read.putAll(scan(account, lower));
        read.putAll(scan(account, upper.get()));

        assertThat(read).isEqualTo(versions(account));
        assertThat(lower.progress().to()).isEqualTo(upper.get().progress().from() - 1);
    }

    @Test
    void aWindowIsSplitOnlyOnAPageOfItsOwn() {
        SimulatedAccount account = account(8, 10_000);
        WindowScan lower = WindowScan.fresh(1, 0, START);
        assertThat(lower.split(2, LIMIT, 1)).as("nothing read yet").isEmpty();
        Optional<WindowScan> upper = readUntilSplit(account, lower, new HashMap<>());

        assertThat(upper).isPresent();
        assertThat(upper.get().split(3, LIMIT, 1)).as("only an estimate inherited from the window it came from").isEmpty();
    }

    /** Reads pages until the window offers a split: once the leads seen so far promise four more pages. */
    private static Optional<WindowScan> readUntilSplit(SimulatedAccount account, WindowScan window, Map<Long, Long> read) {
        Optional<WindowScan> upper = Optional.empty();
        while (upper.isEmpty() && !window.done()) {
            step(account, window, read);
            upper = window.split(2, LIMIT, 4);
        }
        return upper;
    }

    @Test
    void resumesFromSavedProgressWithoutRereadingTheRange() {
        SimulatedAccount account = account(9, 1_000);
        WindowScan first = WindowScan.fresh(1, 0, START);
        Map<Long, Long> read = new HashMap<>();
        step(account, first, read);
        step(account, first, read);

        WindowScan resumed = WindowScan.resumed(first.progress(), true);
        Map<Long, Long> rest = scan(account, resumed);

        assertThat(rest.keySet()).doesNotContainAnyElementsOf(read.keySet());
        read.putAll(rest);
        assertThat(read).isEqualTo(versions(account));
    }

    @Test
    void anIgnoredUpdatedAtFilterIsDetected() {
        SimulatedAccount account = account(10, 500);
        account.faults().ignoreUpdatedAtFilter(true);
        WindowScan scan = WindowScan.fresh(1, START - 60, START);

        assertThatThrownBy(() -> step(account, scan, new HashMap<>())).isInstanceOf(UpdatedAtFilterIgnored.class)
                .hasMessageContaining("ignores the updated_at filter");
    }

    @ParameterizedTest
    @ValueSource(longs = { 31, 32, 33 })
    void aListWithoutUpdatedAtOrderIsReadWholeByWindowsProvenByTheirLowestAndHighestIds(long seed) {
        SimulatedAccount account = account(seed, 6_000);
        account.stampSecond(START - 2_000, 700);
        List<LeadsRequest> requests = new ArrayList<>();
        account.onLeadsRequest(requests::add);

        Map<Long, Long> read = scanUnordered(account, 0, START);

        assertThat(read).isEqualTo(versions(account));
        assertThat(requests).as("no request relies on order[updated_at]")
                .allMatch(request -> "id".equals(request.orderField()));
        // 6,000 leads are 24 pages read one after the other; the windows' proofs may cost up to twice that
        assertThat(requests).as("requests for 6,000 leads by windows").hasSizeLessThan(60);
    }

    @ParameterizedTest
    @ValueSource(longs = { 34, 35, 36, 37 })
    void editsWhileAnUnorderedListIsReadNeverHideAnItem(long seed) {
        SimulatedAccount account = account(seed, 3_000);
        account.stampSecond(START - 1_000, 600);
        Random random = new Random(seed);
        // before every request, a few leads are edited (moved past the frozen upper bound) or deleted: the lowest ids
        // of the crowded second too, whose departure shifts every later page of it
        account.onLeadsRequest(request -> {
            clock.advance(1);
            account.editRandom(random.nextInt(6));
            if (random.nextInt(10) == 0) {
                account.delete(account.liveLeads().keySet().iterator().next());
            }
        });

        Map<Long, Long> read = scanUnordered(account, 0, START);

        versions(account).forEach((id, updatedAt) -> {
            if (updatedAt <= START) {
                assertThat(read).as("lead %d, untouched during the scan, was read", id).containsEntry(id, updatedAt);
            }
        });
    }

    @Test
    void anUnorderedWindowOfLessThanAPageIsOneRequestAndItsProgressResumesWhole() {
        SimulatedAccount account = account(38, 200);
        WindowScan window = WindowScan.fresh(1, 0, START, false);

        step(account, window, new HashMap<>());

        assertThat(window.done()).isTrue();
        WindowScan big = WindowScan.fresh(2, 0, START, false);
        SimulatedAccount busy = account(39, 2_000);
        step(busy, big, new HashMap<>());
        WindowScan resumed = WindowScan.resumed(big.progress(), false);
        assertThat(resumed.progress().cursorIds()).isEmpty();
        assertThat(scanUnordered(busy, resumed)).isEqualTo(versions(busy));
    }

    /** An unordered scan as {@link WindowPool} drives it, one window after another: the parts a window hands over too. */
    private static Map<Long, Long> scanUnordered(SimulatedAccount account, long from, long to) {
        return scanUnordered(account, WindowScan.fresh(1, from, to, false));
    }

    private static Map<Long, Long> scanUnordered(SimulatedAccount account, WindowScan first) {
        Map<Long, Long> read = new HashMap<>();
        java.util.Deque<WindowScan> windows = new java.util.ArrayDeque<>(List.of(first));
        int number = 1;
        for (int requests = 0; !windows.isEmpty(); requests++) {
            assertThat(requests).as("the scan ends").isLessThan(10_000);
            WindowScan window = windows.peek();
            step(account, window, read);
            List<WindowScan> parts = window.unprovenParts(number + 1, LIMIT);
            number += parts.size();
            windows.addAll(parts);
            if (window.done()) {
                windows.remove();
            }
        }
        return read;
    }

    @Test
    void anEmptyRangeIsDoneAfterOneAnswer() {
        SimulatedAccount account = account(11, 10);
        WindowScan scan = WindowScan.fresh(1, START + 10, START + 20);

        step(account, scan, new HashMap<>());

        assertThat(scan.done()).isTrue();
    }

    private SimulatedAccount account(long seed, int leads) {
        SimulatedAccount account = new SimulatedAccount(seed, clock);
        account.addLeads(leads, java.time.Duration.ofDays(30));
        return account;
    }

    private static Map<Long, Long> versions(SimulatedAccount account) {
        Map<Long, Long> versions = new HashMap<>();
        account.liveLeads().values().forEach(lead -> versions.put(lead.id(), lead.updatedAt()));
        return versions;
    }

    private static Map<Long, Long> scan(SimulatedAccount account, WindowScan scan) {
        Map<Long, Long> read = new HashMap<>();
        for (int requests = 0; !scan.done(); requests++) {
            assertThat(requests).as("the scan ends").isLessThan(10_000);
            step(account, scan, read);
        }
        return read;
    }

    private static void step(SimulatedAccount account, WindowScan scan, Map<Long, Long> read) {
        List<JsonNode> answer = AccountAccess.answer(account, scan.nextQuery("leads", "contacts", LIMIT));
        Keyed.Split split = Keyed.split(answer);
        for (Keyed lead : scan.accept(split.keyed(), answer.size(), LIMIT)) {
            read.merge(lead.id(), lead.updatedAt(), Math::max);
        }
    }

    @Test
    void partsOfAResumedPlanNoSavedWindowCoversAreScannedAgain() {
        Plan plan = new Plan(100, 1_000, List.of(new WindowProgress(1, 100, 499, 300, List.of(7L), false),
                new WindowProgress(3, 700, 1_000, 1_001, List.of(), true)), true);

        List<WindowScan> windows = plan.windows(true);

        assertThat(windows).extracting(window -> window.progress().from() + ".." + window.progress().to())
                .containsExactlyInAnyOrder("100..499", "700..1000", "500..699");
        assertThat(windows.get(0).nextQuery("leads", "contacts", 250).updatedFrom()).isEqualTo(300);
    }

}
