package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/** Contacts, companies and links through the packaged application, as an operator runs it. */
class EntitiesIT {

    private static final Duration EXIT = Duration.ofSeconds(120);

    private final SimulatorServer simulator = SimulatorResource.server();
    private Db db;
    private SimulatedAccount account;

    @BeforeEach
    void account() {
        db = TestDatabase.emptied();
        account = SimulatorResource.serve(SimulatedAccount.withEntities(67, 600, 4_000, 300, Duration.ofDays(4)));
    }

    @AfterEach
    void quietAccount() {
        account.clearListeners();
        account.faults().reset();
    }

    @Test
    void killedWhileReadingContactsTheNextRunEndsExact() {
        account.faults().latency(Duration.ofMillis(120));
        PackagedApp first = PackagedApp.start(settings());
        try {
            PackagedApp.await("some contact pages are committed", EXIT, () -> contacts() > 600);
        } finally {
            first.kill();
        }

        assertThat(contacts()).isLessThan(4_000);
        account.faults().latency(Duration.ZERO);
        String output = sync(settings());
        assertThat(output).contains("resuming the scan an earlier run did not finish");
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
    }

    @Test
    void editsDeletionsAndRestorationsBetweenRunsEndExactAndAreReportedPerEntity() {
        sync(settings());
        List<Long> contacts = new ArrayList<>(account.liveContacts().keySet());
        List<Long> companies = new ArrayList<>(account.liveCompanies().keySet());
        account.deleteContacts(contacts.subList(0, 300), account.now());
        account.deleteCompany(companies.get(0));
        account.editRandomContacts(200);
        account.editRandomCompanies(40);
        account.editRandom(100);
        SyncTest.nextSecond();

        String output = sync(settings());

        assertThat(output).contains("contacts: processed").contains("companies: processed");
        assertThat(db.count("SELECT deleted FROM sync_run_entities WHERE entity = 'contacts' AND run_id ="
                + " (SELECT max(id) FROM sync_runs)")).isEqualTo(300);
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);

        account.restoreContacts(contacts.subList(0, 100), account.now());
        SyncTest.nextSecond();
        sync(settings());
        Mirror.assertEntitiesEqual(db, account);
    }

    @Test
    void onlyTheSelectedEntitiesAreRead() {
        Map<String, String> leadsOnly = settings();
        leadsOnly.put("AMOCRM_SYNC_ENTITIES", "leads");
        simulator.stats().reset();

        sync(leadsOnly);

        assertThat(simulator.stats().toPath("/api/v4/contacts")).isZero();
        assertThat(simulator.stats().toPath("/api/v4/companies")).isZero();
        assertThat(contacts()).isZero();
        Mirror.assertDatabaseEquals(db, account);

        Map<String, String> wrong = settings();
        wrong.put("AMOCRM_SYNC_ENTITIES", "leads,deals");
        PackagedApp refused = PackagedApp.start(wrong);
        assertThat(refused.exitCode(EXIT)).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("AMOCRM_SYNC_ENTITIES").contains("deals");
    }

    /** Contacts written so far; 0 while the first run has not created the table yet. */
    private long contacts() {
        return "true".equals(String.valueOf(db.value("SELECT to_regclass('amocrm_contacts') IS NOT NULL")))
                ? db.count("SELECT count(*) FROM amocrm_contacts")
                : 0;
    }

    private String sync(Map<String, String> settings) {
        PackagedApp app = PackagedApp.start(settings);
        assertThat(app.exitCode(EXIT)).as(app.output()).isZero();
        return app.output();
    }

    private Map<String, String> settings() {
        return SimulatorResource.processSettings(PostgresResource.databaseUrl());
    }
}
