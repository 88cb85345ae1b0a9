package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The same promise for contacts, companies and the links between them and the deals, through the same engine. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class EntitiesTest {

    @Inject
    SyncService sync;

    @Inject
    DataSource dataSource;

    Db db;

    @BeforeEach
    void freshDatabase() {
        db = new Db(dataSource);
        db.reset();
    }

    @AfterEach
    void quietAccount() {
        SimulatorResource.server().account().clearListeners();
        SimulatorResource.server().account().faults().reset();
    }

    @Test
    void aFirstRunMirrorsContactsCompaniesAndEveryLink() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(41, 600, 900, 150,
                Duration.ofDays(5)));

        SyncReport report = run(SyncRequest.incremental());

        assertThat(report.entities()).extracting(SyncReport.EntityReport::entity).containsExactly("leads", "contacts",
                "companies", "tasks", "lead_notes", "contact_notes", "company_notes", "status_history");
        assertThat(report.entities()).extracting(SyncReport.EntityReport::inserted).startsWith(600L, 900L, 150L);
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
        assertThat(db.count("SELECT count(*) FROM sync_state")).as("a cursor per entity").isEqualTo(8);
        assertThat(db.count("SELECT count(*) FROM amocrm_contacts WHERE cardinality(phones) > 0")).isPositive();
    }

    @Test
    void contactsAndCompaniesEditedWhileTheyArePagedAreNeverLost() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(43, 800, 2_400, 900,
                Duration.ofDays(5)));
        AtomicInteger contactPages = new AtomicInteger();
        AtomicInteger companyPages = new AtomicInteger();
        List<Long> lead = new ArrayList<>(account.liveLeads().keySet());
        List<Long> contact = new ArrayList<>(account.liveContacts().keySet());
        account.onContactsRequest(query -> {
            if (contactPages.incrementAndGet() % 3 == 0) {
                account.editRandomContacts(40);
                account.linkContact(lead.get(contactPages.get()), contact.get(contactPages.get() * 7), false);
            }
        });
        account.onCompaniesRequest(query -> {
            if (companyPages.incrementAndGet() % 2 == 0) {
                account.editRandomCompanies(25);
                account.setContactCompany(contact.get(companyPages.get()), null);
            }
        });

        run(SyncRequest.incremental());
        account.clearListeners();
        secondPasses();
        run(SyncRequest.incremental());

        assertThat(contactPages.get()).as("the contacts were paged while edited").isGreaterThan(6);
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
    }

    @Test
    void deletedAndRestoredContactsAndCompaniesAreFlaggedAndTheirLinksComeBack() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(47, 400, 600, 120,
                Duration.ofDays(3)));
        run(SyncRequest.incremental());
        List<Long> contacts = new ArrayList<>(account.liveContacts().keySet()).subList(0, 200);
        List<Long> companies = new ArrayList<>(account.liveCompanies().keySet()).subList(0, 30);
        // amoCRM deletes at its present: never before an item's last edit
        long second = account.now();
        account.deleteContacts(contacts, second);
        account.deleteCompanies(companies, second);
        // deals edited while their contacts are deleted are listed without them
        account.editRandom(150);
        secondPasses();

        run(SyncRequest.incremental());

        assertThat(db.count("SELECT count(*) FROM amocrm_contacts WHERE is_deleted")).isEqualTo(200);
        assertThat(db.count("SELECT count(*) FROM amocrm_companies WHERE is_deleted")).isEqualTo(30);
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);

        account.restoreContacts(contacts.subList(0, 120), account.now());
        account.restoreCompanies(companies.subList(0, 10), account.now());
        secondPasses();
        SyncReport restored = run(SyncRequest.incremental());

        // a restored contact the scan reads first is unflagged by its newer version, not counted as a restoration
        assertThat(restored.entities()).filteredOn(entity -> entity.entity().equals("contacts"))
                .extracting(SyncReport.EntityReport::restored).singleElement().matches(count -> count > 100);
        assertThat(db.count("SELECT count(*) FROM amocrm_contacts WHERE is_deleted")).isEqualTo(80);
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
    }

    @Test
    void aFailureWhileReadingContactsResumesWhereItStopped() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(53, 300, 2_000, 100,
                Duration.ofDays(4)));
        AtomicInteger contactPages = new AtomicInteger();
        account.onContactsRequest(query -> {
            if (contactPages.incrementAndGet() == 4) {
                account.faults().failFrom(1, 400);
            }
        });

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .hasMessageContaining("HTTP 400");
        long written = db.count("SELECT count(*) FROM amocrm_contacts");
        assertThat(written).as("the contact pages before the failure are committed").isBetween(250L, 1_999L);
        assertThat(db.count("SELECT count(*) FROM sync_windows WHERE entity = 'contacts'")).isPositive();
        account.clearListeners();
        account.faults().reset();

        SyncReport resumed = run(SyncRequest.incremental());

        assertThat(resumed.entities()).filteredOn(entity -> entity.entity().equals("contacts"))
                .extracting(SyncReport.EntityReport::inserted).containsExactly(2_000 - written);
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
    }

    @Test
    void aFullSyncClearsStaleDeletionFlagsOfContactsToo() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(59, 300, 500, 80,
                Duration.ofDays(60)));

        run(SyncRequest.full());
        db.update("UPDATE amocrm_contacts SET is_deleted = true, deleted_at = now() WHERE amocrm_contact_id IN"
                + " (SELECT amocrm_contact_id FROM amocrm_contacts LIMIT 20)");
        run(SyncRequest.full());

        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
    }

    /** A run leaves amoCRM's current second to the next one: let the second of the last edits pass. */
    private static void secondPasses() {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SyncReport run(SyncRequest request) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }
}
