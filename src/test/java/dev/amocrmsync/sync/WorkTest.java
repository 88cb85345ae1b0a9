package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.Catalog;
import dev.amocrmsync.simulator.SimNote;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.ShiftedClock;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The account's history and work (tasks, notes and calls, the deals' moves between stages, the funnel's catalogs)
 * through the same engine and with the same promise as the deals, against the strict simulator: tasks and notes
 * without an honoured order by updated_at, note ids repeated across entity types, ties shuffled on every request.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class WorkTest {

    @Inject
    SyncService sync;

    @Inject
    DataSource dataSource;

    Db db;

    @BeforeEach
    void freshDatabase() {
        db = new Db(dataSource);
        db.reset();
        // the funnel's catalogs are read by this class's first run, whatever the tests before it left
        db.update("TRUNCATE amocrm_catalogs, amocrm_pipelines, amocrm_statuses, amocrm_loss_reasons, amocrm_tags");
    }

    @AfterEach
    void quietAccount() {
        SimulatorResource.server().account().clearListeners();
        SimulatorResource.server().account().tasks().clearListeners();
        SimulatorResource.server().account().notes().clearListeners();
        SimulatorResource.server().account().faults().reset();
    }

    @Test
    void aFirstSyncMirrorsTasksNotesTheStatusHistoryAndTheFunnel() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(81, 400, 300, 60, 900, 1_800,
                Duration.ofDays(5)));

        run(SyncRequest.incremental());

        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertWorkEquals(db, account);
        Mirror.assertFunnelCatalogsEqual(db, account);
        assertThat(db.count("SELECT count(*) FROM amocrm_deal_status_history"))
                .as("every move of the look-back (the account's history is shorter)")
                .isEqualTo(account.statusChanges().size());
        assertThat(db.count("SELECT count(*) FROM amocrm_calls")).as("one row per call note")
                .isEqualTo(SimNotesCount.calls(account));
        assertThat(db.count("SELECT count(DISTINCT entity_type) FROM amocrm_notes")).isEqualTo(3);
    }

    @Test
    void editsDeletionsAndMovesBetweenRunsEndExactAndAFullSyncFindsWhatNoEventTells() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(82, 300, 200, 40, 600, 1_200,
                Duration.ofDays(4)));
        run(SyncRequest.incremental());
        List<Long> tasks = new ArrayList<>(account.tasks().live().keySet());
        // the bulk delete first: the team's work below may delete some of these tasks itself
        account.tasks().deleteAll(tasks.subList(0, 30), account.now());
        account.tasks().workOnRandom(80);
        account.notes().workOnRandom(120);
        List<SimNote> common = account.notes().live("leads").values().stream()
                .filter(note -> note.noteType().equals("common")).limit(10).toList();
        common.forEach(note -> account.notes().delete("leads", note.id()));
        SimNote call = account.notes().live("contacts").values().stream().filter(SimNote::isCall).findFirst()
                .orElseThrow();
        account.notes().delete("contacts", call.id());
        account.moveRandomLeads(40);
        account.moveRandomLeadsInOneSecond(150, Catalog.PIPELINES.get(0).id(),
                Catalog.PIPELINES.get(0).statuses().get(2).id(), account.now());
        SyncTest.nextSecond();

        SyncReport report = run(SyncRequest.incremental());

        // the 30, and those the team's work deleted
        assertThat(report.entities()).filteredOn(e -> e.entity().equals("tasks")).singleElement()
                .satisfies(tasksRun -> assertThat(tasksRun.deleted()).isEqualTo(account.tasks().deletedIds().size()));
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertWorkEquals(db, account);
        assertThat(noteDeleted("contacts", call.id())).as("no event tells of a deleted call").isFalse();
        long unflagged = account.notes().deletedIds("contacts").size()
                - db.count("SELECT count(*) FROM amocrm_notes WHERE entity_type = 'contacts' AND is_deleted");

        SyncReport full = run(SyncRequest.full());

        assertThat(noteDeleted("contacts", call.id())).as("the full sync's sweep found it missing").isTrue();
        assertThat(full.entities()).filteredOn(e -> e.entity().equals("contact_notes")).singleElement()
                .satisfies(notes -> assertThat(notes.deleted()).isEqualTo(unflagged));
        Mirror.assertWorkEquals(db, account, true);
    }

    @Test
    void tasksAndNotesEditedWhileTheyArePagedAreNeverLostNorAreCrowdedSeconds() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(83, 200, 100, 20, 2_500, 3_000,
                Duration.ofDays(5)));
        long crowded = account.now() - 3_600;
        account.tasks().stampSecond(crowded, 700);
        account.notes().stampSecond("leads", crowded, 600);
        account.notes().stampSecond("contacts", crowded, 300);
        Random random = new Random(83);
        AtomicInteger requests = new AtomicInteger();
        // before every request for them, some tasks and notes are worked on: edited ones move past the frozen bound,
        // deleted ones leave, and every departure shifts what a page number would show
        account.tasks().onRequest(query -> {
            if (requests.incrementAndGet() % 2 == 0) {
                account.tasks().workOnRandom(1 + random.nextInt(8));
            }
        });
        account.notes().onRequest(query -> {
            if (requests.incrementAndGet() % 2 == 0) {
                account.notes().workOnRandom(1 + random.nextInt(8));
            }
        });

        run(SyncRequest.incremental());
        account.tasks().clearListeners();
        account.notes().clearListeners();
        SyncTest.nextSecond();
        run(SyncRequest.incremental());

        Mirror.assertWorkEquals(db, account);
    }

    @Test
    void aNoChangeRunAsksEachListOnceAndTheEventLogOnceForEveryEntity() {
        // an account whose last change was an hour ago: nothing within the overlap, what most scheduled runs find
        ShiftedClock clock = new ShiftedClock(Duration.ofHours(-1));
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(84, 300, 200, 40, 500, 900,
                Duration.ofDays(10), clock));
        clock.shift(Duration.ZERO);
        run(SyncRequest.incremental());
        SimulatorResource.server().stats().reset();

        SyncReport report = run(SyncRequest.incremental());

        Map<String, Long> perPath = new HashMap<>();
        SimulatorResource.server().stats().timeline().forEach(r -> perPath.merge(r.path(), 1L, Long::sum));
        assertThat(perPath).as("one request per list, the event log and the account; no catalog is due")
                .containsOnly(Map.entry("/api/v4/account", 1L), Map.entry("/api/v4/leads", 1L),
                        Map.entry("/api/v4/contacts", 1L), Map.entry("/api/v4/companies", 1L),
                        Map.entry("/api/v4/tasks", 1L), Map.entry("/api/v4/leads/notes", 1L),
                        Map.entry("/api/v4/contacts/notes", 1L), Map.entry("/api/v4/companies/notes", 1L),
                        Map.entry("/api/v4/events", 1L));
        assertThat(report.requestsByList()).containsEntry("tasks", 1L).containsEntry("events", 1L);
    }

    @Test
    void theAnalystsQueriesRunOnTheMirror() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(85, 500, 300, 40, 300, 2_500,
                Duration.ofDays(40)));
        // the whole history, beyond a first run's look-back
        run(SyncRequest.full());

        // conversion from each stage to the next over a month (catalogs.md)
        List<Map<String, Object>> conversion = db.rows(AnalystQueries.CONVERSION);
        assertThat(conversion).isNotEmpty().allSatisfy(row -> {
            assertThat(((Number) row.get("reached_next")).longValue())
                    .isLessThanOrEqualTo(((Number) row.get("entered")).longValue());
        });
        long entered = conversion.stream().mapToLong(row -> ((Number) row.get("entered")).longValue()).sum();
        assertThat(entered).as("deals entering a stage in the month").isPositive();

        // calls per manager per day (catalogs.md)
        List<Map<String, Object>> calls = db.rows(AnalystQueries.CALLS_PER_MANAGER_PER_DAY);
        long counted = calls.stream().mapToLong(row -> ((Number) row.get("calls")).longValue()).sum();
        assertThat(counted).as("every call of the last 30 days, each once")
                .isEqualTo(SimNotesCount.callsSince(account, account.now() - 30 * 86_400L));
        assertThat(calls).allSatisfy(row -> assertThat(row.get("manager")).isNotNull());
    }

    private boolean noteDeleted(String entity, long id) {
        return Boolean.TRUE.equals(db.value("SELECT is_deleted FROM amocrm_notes WHERE entity_type = ?"
                + " AND amocrm_note_id = ?", entity, id));
    }

    private SyncReport run(SyncRequest request) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }

    /** What the account holds of calls, counted as a reader of amocrm_calls would. */
    static final class SimNotesCount {

        static long calls(SimulatedAccount account) {
            return callsSince(account, Long.MIN_VALUE);
        }

        static long callsSince(SimulatedAccount account, long since) {
            return dev.amocrmsync.simulator.SimNotes.ENTITIES.stream().mapToLong(entity -> account.notes().live(entity)
                    .values().stream().filter(note -> note.isCall() && note.createdAt() >= since).count()).sum();
        }
    }
}
