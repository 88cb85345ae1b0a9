package dev.amocrmsync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The benchmark's account with its history and work (20,000 leads, 30,000 contacts, 5,000 companies, 20,000 tasks,
 * 40,000 notes) is whole when read through the lists, and what it costs to hold and to page is printed (no timed
 * assertion: the machine is shared).
 */
class SimulatedScaleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBenchmarkSizedAccountWithItsHistoryReadsWhole() {
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        SimulatedAccount account = SimulatedAccount.withEntities(5, 20_000, 30_000, 5_000, 20_000, 40_000,
                Duration.ofDays(365));
        double built = (System.nanoTime() - started) / 1e9;
        long heap = usedHeap() - heapBefore;

        assertThat(account.tasks().size()).isEqualTo(20_000);
        assertThat(account.notes().size()).isEqualTo(40_000);
        List<StatusChange> changes = account.statusChanges();
        assertThat(changes.size()).isBetween(35_000, 70_000);

        Read tasks = read(account, "/api/v4/tasks", "order[id]=asc", 250);
        assertThat(tasks.items()).hasSize(20_000);
        Read notes = read(account, "/api/v4/leads/notes", "order[id]=asc", 250);
        assertThat(notes.items()).hasSize(account.notes().live("leads").size());
        Read contacts = read(account, "/api/v4/contacts", "order[updated_at]=asc&with=leads", 250);
        assertThat(contacts.items()).hasSize(30_000);
        long newest = changes.get(changes.size() - 1).changedAt();
        Read recent = read(account, "/api/v4/events",
                "filter[type]=lead_status_changed&filter[created_at][from]=" + (newest - 86_400 * 30), 100);
        Set<String> ids = new HashSet<>();
        recent.items().forEach(event -> ids.add(event.path("id").asText()));
        assertThat(ids).hasSizeGreaterThan(100);

        System.out.printf(Locale.ROOT,
                "Simulated account of 20,000 leads, 30,000 contacts, 5,000 companies, 20,000 tasks, 40,000 notes,"
                        + " %,d status changes: built in %.1f s, about %,d MB of heap;"
                        + " ms per page: tasks %.2f, lead notes %.2f, contacts with leads %.2f,"
                        + " status changes of 30 days %.2f (%d pages)%n",
                changes.size(), built, heap >> 20, tasks.msPerPage(), notes.msPerPage(), contacts.msPerPage(),
                recent.msPerPage(), recent.pages());
    }

    private record Read(List<JsonNode> items, int pages, double msPerPage) {
    }

    /** Every page of the list through its registration as over HTTP, and the time spent answering (not parsing). */
    private static Read read(SimulatedAccount account, String path, String query, int limit) {
        List<JsonNode> items = new java.util.ArrayList<>();
        long answering = 0;
        int pages = 0;
        for (int page = 1;; page++) {
            SimQuery request = SimQuery.parse(path, query + "&limit=" + limit + "&page=" + page, java.util.Map.of());
            long started = System.nanoTime();
            SimAnswer answer = path.equals("/api/v4/events") ? EventList.answer(account, request, "http://simulated")
                    : SimLists.at(path).page(account, request, "http://simulated", false);
            answering += System.nanoTime() - started;
            if (answer.status() == 204) {
                break;
            }
            pages++;
            try {
                JSON.readTree(answer.body()).path("_embedded").elements().next().forEach(items::add);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Read(items, pages, answering / 1e6 / Math.max(1, pages));
    }

    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
