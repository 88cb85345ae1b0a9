package dev.amocrmsync.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.amocrm.AccountBlocked;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.simulator.Catalog;
import dev.amocrmsync.simulator.SimCatalogs;
import dev.amocrmsync.simulator.SimCompany;
import dev.amocrmsync.simulator.SimContact;
import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.sync.MirroredEntities;
import dev.amocrmsync.sync.SyncReport;
import dev.amocrmsync.sync.SyncRequest;
import dev.amocrmsync.sync.SyncService;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The account's catalogs and the custom-fields view, as a sync run leaves them. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class CatalogsTest {

    private static final ZoneId ACCOUNT_ZONE = ZoneId.of("Europe/Moscow");
    private static final String USERS = "/api/v4/users";
    private static final String FIELDS = "/api/v4/leads/custom_fields";

    @Inject
    SyncService sync;

    @Inject
    AccountCatalogs catalogs;

    @Inject
    DataSource dataSource;

    final ObjectMapper json = new ObjectMapper();
    Db db;
    SimulatorServer simulator = SimulatorResource.server();

    @BeforeEach
    void freshDatabase() {
        db = new Db(dataSource);
        db.reset();
        db.update("DROP VIEW IF EXISTS amocrm_deals_fields, amocrm_contacts_fields, amocrm_companies_fields");
        db.update("TRUNCATE amocrm_users, amocrm_custom_fields, amocrm_catalogs");
    }

    @Test
    void afterASyncTheCatalogTablesEqualTheAccountsCatalogs() throws Exception {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(21, 60, Duration.ofDays(2)));

        run();

        assertThat(db.rows("SELECT amocrm_user_id, name, email, is_active, is_admin, is_deleted FROM amocrm_users"
                + " ORDER BY amocrm_user_id"))
                .containsExactlyElementsOf(account.catalogs().users().stream().sorted(
                        java.util.Comparator.comparingLong(SimCatalogs.User::id)).map(CatalogsTest::row).toList());
        assertThat(db.rows("SELECT field_id, name, type, sort, is_deleted FROM amocrm_custom_fields"
                + " WHERE entity_type = 'leads' ORDER BY field_id"))
                .containsExactlyElementsOf(account.catalogs().leadFields().stream().map(CatalogsTest::row).toList());
        for (SimCatalogs.Field field : account.catalogs().leadFields()) {
            Object enums = db.value("SELECT CAST(enums AS text) FROM amocrm_custom_fields WHERE field_id = ?", field.id());
            assertThat(enums == null ? null : json.readTree((String) enums))
                    .isEqualTo(field.enums() == null ? null : json.readTree(json.writeValueAsString(field.enums())));
        }
    }

    @Test
    void theViewHasOneTypedColumnPerLeadField() {
        SimulatorResource.serve(SimulatedAccount.withLeads(22, 60, Duration.ofDays(2)));

        run();

        assertThat(columns()).containsExactly(
                Map.entry("amocrm_deal_id", "text"), Map.entry("is_deleted", "boolean"),
                Map.entry("rentprog_id", "text"), Map.entry("avtomobil", "text"),
                Map.entry("data_nachala_arendy", "timestamp with time zone"),
                Map.entry("vozvrat_avto", "timestamp with time zone"), Map.entry("dostavka", "boolean"),
                Map.entry("zalog", "numeric"), Map.entry("kommentariy", "text"), Map.entry("dop_uslugi", "ARRAY"),
                Map.entry("telefon", "ARRAY"), Map.entry("rekvizity", "jsonb"));
    }

    @Test
    void theViewShowsEachLeadsValuesWithDatesAtTheInstantTheUserMeant() throws Exception {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(23, 80, Duration.ofDays(2)));
        simulator.stats().reset();

        run();

        assertThat(simulator.stats().toPath("/api/v4/account"))
                .as("the run's own account request tells the time zone too").isEqualTo(1);

        int checked = 0;
        for (SimLead lead : account.liveLeads().values()) {
            Map<String, Object> row = db.rows("""
                    SELECT rentprog_id, avtomobil, CAST(extract(epoch FROM data_nachala_arendy) AS bigint) AS start,
                           to_char(data_nachala_arendy AT TIME ZONE 'Europe/Moscow', 'HH24:MI') AS start_local,
                           CAST(extract(epoch FROM vozvrat_avto) AS bigint) AS back, dostavka, CAST(zalog AS text) AS zalog,
                           array_to_string(dop_uslugi, '|') AS extras, array_to_string(telefon, '|') AS phones,
                           rekvizity ->> 0 IS NOT NULL AS has_entity
                    FROM amocrm_deals_fields WHERE amocrm_deal_id = ?""", Long.toString(lead.id())).get(0);
            Map<Long, JsonNode> values = values(lead);
            assertThat(row.get("rentprog_id")).isEqualTo(text(values.get(Catalog.RENTPROG_FIELD_ID)));
            assertThat(row.get("avtomobil")).isEqualTo(text(values.get(902_257L)));
            assertThat(row.get("dostavka")).isEqualTo(values.containsKey(902_263L)
                    ? values.get(902_263L).path(0).path("value").asBoolean()
                    : null);
            assertThat(row.get("zalog")).isEqualTo(text(values.get(902_265L)));
            assertThat(row.get("has_entity")).isEqualTo(values.containsKey(902_273L));
            if (values.containsKey(902_269L)) {
                assertThat(row.get("extras")).isEqualTo("Детское кресло|Доставка");
            }
            if (values.containsKey(902_259L)) {
                // amoCRM writes the Moscow wall clock as if it were UTC: the stored instant is 3 hours earlier
                long start = values.get(902_259L).path(0).path("value").asLong();
                long back = values.get(902_261L).path(0).path("value").asLong();
                assertThat(row.get("start")).isEqualTo(moscowInstant(start)).isEqualTo(start - 3 * 3_600);
                assertThat(row.get("start_local")).as("a date is midnight in the account's zone").isEqualTo("00:00");
                assertThat(row.get("back")).isEqualTo(moscowInstant(back));
                checked++;
            } else {
                assertThat(row.get("start")).isNull();
            }
        }
        assertThat(checked).as("leads with dates").isGreaterThan(20);
        assertThat(db.count("SELECT count(*) FROM amocrm_deals_fields WHERE rentprog_id IS NOT NULL")).isPositive();
    }

    @Test
    void valuesThatDoNotFitTheirColumnReadAsNullWithoutBreakingTheView() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(30, 10, Duration.ofDays(2)));
        long leadId = account.liveLeads().keySet().iterator().next();
        account.setCustomFields(leadId, """
                [{"field_id": 902265, "field_type": "numeric", "values": [{"value": "не число"}]},
                 {"field_id": 902259, "field_type": "date", "values": [{"value": "2019-05-01"}]},
                 {"field_id": 902263, "field_type": "checkbox", "values": [{"value": "1"}]},
                 {"field_id": 902269, "field_type": "multiselect", "values": null},
                 {"field_id": "902257", "field_type": "select", "values": [{"value": "Kia Rio", "enum_id": 1700002}]},
                 {"field_name": "no id", "values": [{"value": 1}]}, 17]""");
        nextSecond(account);

        run();

        assertThat(db.rows("SELECT zalog, data_nachala_arendy, dostavka, dop_uslugi, avtomobil FROM amocrm_deals_fields"
                + " WHERE amocrm_deal_id = ?", Long.toString(leadId))).singleElement().satisfies(row -> {
                    assertThat(row.get("zalog")).isNull();
                    assertThat(row.get("data_nachala_arendy")).isNull();
                    assertThat(row.get("dostavka")).isEqualTo(true);
                    assertThat(row.get("dop_uslugi")).isNull();
                    assertThat(row.get("avtomobil")).isEqualTo("Kia Rio");
                });
        assertThat(db.count("SELECT count(*) FROM amocrm_deals_fields")).isEqualTo(10);
    }

    @Test
    void renamingAFieldRenamesItsColumnAfterTheNextRunAndNothingElse() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(24, 40, Duration.ofDays(2)));
        run();
        List<Map<String, Object>> usersBefore = db.rows("SELECT *, CAST(xmin AS text) AS x FROM amocrm_users ORDER BY 1");
        List<Map<String, Object>> otherFieldsBefore = otherFields(902_263);
        Map<String, Object> valuesBefore = db.rows("SELECT count(*) FILTER (WHERE dostavka) AS yes,"
                + " count(*) FILTER (WHERE NOT dostavka) AS no FROM amocrm_deals_fields").get(0);

        account.catalogs().renameLeadField(902_263, "Доставка до двери");
        catalogsAreDue();
        run();

        assertThat(columns().keySet()).contains("dostavka_do_dveri").doesNotContain("dostavka").hasSize(12);
        assertThat(columns()).containsEntry("dostavka_do_dveri", "boolean");
        assertThat(db.rows("SELECT count(*) FILTER (WHERE dostavka_do_dveri) AS yes,"
                + " count(*) FILTER (WHERE NOT dostavka_do_dveri) AS no FROM amocrm_deals_fields").get(0))
                .isEqualTo(valuesBefore);
        assertThat(db.value("SELECT name FROM amocrm_custom_fields WHERE field_id = 902263")).isEqualTo("Доставка до двери");
        assertThat(otherFields(902_263)).isEqualTo(otherFieldsBefore);
        assertThat(db.rows("SELECT *, CAST(xmin AS text) AS x FROM amocrm_users ORDER BY 1")).isEqualTo(usersBefore);
    }

    @Test
    void anUnchangedCatalogIsReadButRewritesNothingAndKeepsTheView() {
        SimulatorResource.serve(SimulatedAccount.withLeads(25, 40, Duration.ofDays(2)));
        run();
        Object view = db.value("SELECT CAST(CAST('amocrm_deals_fields' AS regclass) AS oid)");
        String rows = db.rows("SELECT field_id, CAST(xmin AS text) AS x, updated_at FROM amocrm_custom_fields ORDER BY 1")
                .toString() + db.rows("SELECT amocrm_user_id, CAST(xmin AS text) AS x FROM amocrm_users ORDER BY 1");

        catalogsAreDue();
        simulator.stats().reset();
        run();

        assertThat(simulator.stats().toPath(USERS)).isEqualTo(1);
        assertThat(simulator.stats().toPath(FIELDS)).isEqualTo(1);
        assertThat(db.value("SELECT CAST(CAST('amocrm_deals_fields' AS regclass) AS oid)")).as("not rebuilt").isEqualTo(view);
        assertThat(db.rows("SELECT field_id, CAST(xmin AS text) AS x, updated_at FROM amocrm_custom_fields ORDER BY 1")
                .toString() + db.rows("SELECT amocrm_user_id, CAST(xmin AS text) AS x FROM amocrm_users ORDER BY 1"))
                .isEqualTo(rows);
    }

    @Test
    void aCatalogTheUserMayNotReadIsSkippedAndTheRestIsMirroredButALeadsListRefusedStillStopsTheRun() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(29, 40, Duration.ofDays(2)));
        account.faults().forbid(USERS);

        run();

        assertThat(simulator.stats().withStatus(403)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM amocrm_users")).as("left as it was").isZero();
        assertThat(db.count("SELECT count(*) FROM amocrm_custom_fields WHERE entity_type = 'leads'"))
                .isEqualTo(account.catalogs().leadFields().size());
        assertThat(columns()).containsKey("rentprog_id");
        assertThat(db.value("SELECT content_hash FROM amocrm_catalogs WHERE catalog = 'users'")).isEqualTo("refused");
        simulator.stats().reset();
        run();
        assertThat(simulator.stats().toPath(USERS)).as("asked again only at the max age").isZero();

        account.faults().forbid("/api/v4/leads");
        account.editRandom(3);
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental())))
                .isInstanceOf(AccountBlocked.class).hasMessageContaining("HTTP 403 Forbidden: Access denied")
                .hasMessageContaining("may not read this");
    }

    @Test
    void aRunWithinTheMaxAgeAsksNothingAboutTheCatalogs() {
        SimulatorResource.serve(SimulatedAccount.withLeads(26, 40, Duration.ofDays(2)));
        run();
        simulator.stats().reset();

        run();

        assertThat(simulator.stats().toPath(USERS) + simulator.stats().toPath(FIELDS)
                + simulator.stats().toPath("/api/v4/account")).as("only the run's own account request").isEqualTo(1);
    }

    @Test
    void aLeadNamingAnUnknownFieldRefreshesTheCatalogAtOnce() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(27, 40, Duration.ofDays(2)));
        run();
        account.catalogs().addLeadField(new SimCatalogs.Field(902_275, "Промокод", "text", null, 520, false, null));
        long leadId = account.liveLeads().keySet().iterator().next();
        account.setCustomFields(leadId, """
                [{"field_id": 902275, "field_name": "Промокод", "field_code": null, "field_type": "text",
                  "values": [{"value": "ЛЕТО-2026"}]}]""");
        nextSecond(account);
        simulator.stats().reset();

        run();

        assertThat(simulator.stats().toPath(FIELDS)).isEqualTo(1);
        assertThat(db.value("SELECT promokod FROM amocrm_deals_fields WHERE amocrm_deal_id = ?", Long.toString(leadId)))
                .isEqualTo("ЛЕТО-2026");
    }

    @Test
    void twoFieldsWithOneNameGetStableDistinctColumns() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(28, 40, Duration.ofDays(2)));
        account.catalogs().addLeadField(new SimCatalogs.Field(902_277, "Залог", "text", null, 530, false, null));
        run();
        assertThat(columns()).containsEntry("zalog", "numeric").containsEntry("zalog_902277", "text");

        account.catalogs().addLeadField(new SimCatalogs.Field(902_279, "ЗАЛОГ!", "price", null, 531, false, null));
        account.catalogs().removeLeadField(902_273);
        catalogsAreDue();
        run();

        assertThat(columns()).containsEntry("zalog", "numeric").containsEntry("zalog_902277", "text")
                .containsEntry("zalog_902279", "numeric").doesNotContainKey("rekvizity");
        assertThat(db.value("SELECT is_deleted FROM amocrm_custom_fields WHERE field_id = 902273")).isEqualTo(true);
    }

    @Test
    void aChangedOrRemovedUserIsUpdatedOrFlagged() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(29, 20, Duration.ofDays(2)));
        run();
        account.catalogs().putUser(new SimCatalogs.User(Catalog.USERS.get(1), "Игорь Старший менеджер",
                "igor@rent.example", "ru", false, false));
        account.catalogs().removeUser(Catalog.USERS.get(2));
        catalogsAreDue();

        run();

        assertThat(db.rows("SELECT name, email, is_active, is_deleted FROM amocrm_users WHERE amocrm_user_id = ?",
                Catalog.USERS.get(1))).containsExactly(Map.of("name", "Игорь Старший менеджер",
                        "email", "igor@rent.example", "is_active", false, "is_deleted", false));
        assertThat(db.value("SELECT is_deleted FROM amocrm_users WHERE amocrm_user_id = ?", Catalog.USERS.get(2)))
                .isEqualTo(true);
    }

    @Test
    void contactsAndCompaniesGetTheirCatalogsAndAViewWithOneTypedColumnPerField() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(31, 40, 80, 20,
                Duration.ofDays(2)));

        run();

        for (String entity : List.of("contacts", "companies")) {
            assertThat(db.rows("SELECT field_id, name, type, sort, is_deleted FROM amocrm_custom_fields"
                    + " WHERE entity_type = ? ORDER BY field_id", entity)).as(entity)
                    .containsExactlyElementsOf(account.catalogs().fields(entity).stream()
                            .sorted(java.util.Comparator.comparingLong(SimCatalogs.Field::id)).map(CatalogsTest::row)
                            .toList());
        }
        assertThat(columns("amocrm_contacts_fields")).containsExactly(
                Map.entry("amocrm_contact_id", "bigint"), Map.entry("is_deleted", "boolean"),
                Map.entry("dolzhnost", "text"), Map.entry("telefon", "ARRAY"), Map.entry("email", "ARRAY"),
                Map.entry("data_rozhdeniya", "timestamp with time zone"), Map.entry("voditelskiy_stazh_let", "numeric"),
                Map.entry("istochnik", "text"));
        assertThat(columns("amocrm_companies_fields")).containsExactly(
                Map.entry("amocrm_company_id", "bigint"), Map.entry("is_deleted", "boolean"),
                Map.entry("telefon", "ARRAY"), Map.entry("email", "ARRAY"), Map.entry("web", "text"),
                Map.entry("adres", "text"), Map.entry("inn", "text"), Map.entry("otrasl", "text"));
        assertThat(db.count("SELECT count(*) FROM amocrm_contacts_fields")).isEqualTo(80);
        assertThat(db.count("SELECT count(*) FROM amocrm_companies_fields")).isEqualTo(20);
        assertThat(db.rows("SELECT catalog FROM amocrm_catalogs ORDER BY 1")).extracting(row -> row.get("catalog"))
                .containsExactly("companies_custom_fields", "contacts_custom_fields", "leads_custom_fields",
                        "loss_reasons", "pipelines", "tags:companies", "tags:contacts", "tags:leads", "users",
                        "view:amocrm_companies_fields", "view:amocrm_contacts_fields", "view:amocrm_deals_fields");
    }

    @Test
    void theContactsAndCompaniesViewsShowEachRecordsValuesWithBirthdaysInTheAccountsZone() throws Exception {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(32, 20, 200, 40,
                Duration.ofDays(2)));

        run();

        int birthdays = 0;
        for (SimContact contact : account.liveContacts().values()) {
            Map<String, Object> row = db.rows("""
                    SELECT array_to_string(telefon, '|') AS phones, array_to_string(email, '|') AS emails, dolzhnost,
                           CAST(extract(epoch FROM data_rozhdeniya) AS bigint) AS born,
                           to_char(data_rozhdeniya AT TIME ZONE 'Europe/Moscow', 'HH24:MI') AS born_local,
                           CAST(voditelskiy_stazh_let AS text) AS years, istochnik
                    FROM amocrm_contacts_fields WHERE amocrm_contact_id = ?""", contact.id()).get(0);
            Map<Long, JsonNode> values = values(contact.customFieldsJson());
            assertThat(row.get("phones")).isEqualTo(all(values.get(1_100_001L)));
            assertThat(row.get("emails")).isEqualTo(all(values.get(1_100_003L)));
            assertThat(row.get("dolzhnost")).isEqualTo(text(values.get(1_100_005L)));
            assertThat(row.get("years")).isEqualTo(text(values.get(1_100_009L)));
            assertThat(row.get("istochnik")).isEqualTo(text(values.get(1_100_011L)));
            if (values.containsKey(1_100_007L)) {
                long day = values.get(1_100_007L).path(0).path("value").asLong();
                // birthdays reach back to the 1980s: Moscow's offset then was 2, 3 or 4 hours (DST, 1991)
                assertThat(row.get("born")).isEqualTo(moscowInstant(day));
                assertThat(row.get("born_local")).as("a birthday is midnight in the account's zone").isEqualTo("00:00");
                birthdays++;
            } else {
                assertThat(row.get("born")).isNull();
            }
        }
        assertThat(birthdays).as("contacts with a birthday").isGreaterThan(20);
        assertThat(db.count("SELECT count(*) FROM amocrm_contacts_fields WHERE cardinality(telefon) > 1")).isPositive();
        for (SimCompany company : account.liveCompanies().values()) {
            Map<String, Object> row = db.rows("SELECT array_to_string(telefon, '|') AS phones, web, adres, inn, otrasl"
                    + " FROM amocrm_companies_fields WHERE amocrm_company_id = ?", company.id()).get(0);
            Map<Long, JsonNode> values = values(company.customFieldsJson());
            assertThat(row.get("phones")).isEqualTo(all(values.get(1_200_001L)));
            assertThat(row.get("web")).isEqualTo(text(values.get(1_200_005L)));
            assertThat(row.get("adres")).isEqualTo(text(values.get(1_200_007L)));
            assertThat(row.get("inn")).isEqualTo(text(values.get(1_200_009L)));
            assertThat(row.get("otrasl")).isEqualTo(text(values.get(1_200_011L)));
        }
    }

    @Test
    void renamingAContactFieldRenamesItsColumnAtTheNextDueRefreshAndLeavesTheOtherViewsAlone() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(33, 40, 80, 20,
                Duration.ofDays(2)));
        run();
        long filled = db.count("SELECT count(*) FROM amocrm_contacts_fields WHERE dolzhnost IS NOT NULL");
        Object deals = db.value("SELECT CAST(CAST('amocrm_deals_fields' AS regclass) AS oid)");
        Object companies = db.value("SELECT CAST(CAST('amocrm_companies_fields' AS regclass) AS oid)");
        List<Map<String, Object>> otherFieldsBefore = otherFields(1_100_005);

        account.catalogs().renameField("contacts", 1_100_005, "Должность в компании");
        run();
        assertThat(columns("amocrm_contacts_fields")).as("not due yet").containsKey("dolzhnost");

        catalogsAreDue();
        run();

        assertThat(columns("amocrm_contacts_fields")).containsEntry("dolzhnost_v_kompanii", "text")
                .doesNotContainKey("dolzhnost").hasSize(8);
        assertThat(db.count("SELECT count(*) FROM amocrm_contacts_fields WHERE dolzhnost_v_kompanii IS NOT NULL"))
                .isEqualTo(filled).isPositive();
        assertThat(db.value("SELECT name FROM amocrm_custom_fields WHERE entity_type = 'contacts' AND field_id = ?",
                1_100_005L)).isEqualTo("Должность в компании");
        assertThat(otherFields(1_100_005)).isEqualTo(otherFieldsBefore);
        assertThat(db.value("SELECT CAST(CAST('amocrm_deals_fields' AS regclass) AS oid)")).isEqualTo(deals);
        assertThat(db.value("SELECT CAST(CAST('amocrm_companies_fields' AS regclass) AS oid)")).isEqualTo(companies);
    }

    @Inject
    MirroredEntities mirrored;

    private List<Entity<?>> named(String... names) {
        return java.util.Arrays.stream(names).<Entity<?>> map(name -> mirrored.named(name).orElseThrow()).toList();
    }

    @Test
    void theViewsFollowFromTheEntitiesDescriptions() {
        assertThat(mirrored.known().stream().map(FieldsView.Source::of).flatMap(java.util.Optional::stream)
                .map(source -> source.entity() + " " + source.view() + " " + source.table() + " " + source.idColumn()
                        + " " + source.values()))
                .contains("leads amocrm_deals_fields amocrm_deals amocrm_deal_id metadata -> 'custom_fields_values'",
                        "contacts amocrm_contacts_fields amocrm_contacts amocrm_contact_id custom_fields",
                        "companies amocrm_companies_fields amocrm_companies amocrm_company_id custom_fields");
    }

    @Test
    void anEntityNotSelectedHasNoCatalogNorViewAndDoesNotMakeTheCatalogsDue() throws Throwable {
        SimulatorResource.serve(SimulatedAccount.withEntities(34, 20, 40, 10, Duration.ofDays(2)));
        simulator.stats().reset();

        VertxContextSupport.subscribeAndAwait(() -> catalogs.refreshIfDue(named("leads", "companies")));

        assertThat(db.value("SELECT to_regclass('amocrm_contacts_fields') IS NULL")).isEqualTo(true);
        assertThat(db.value("SELECT to_regclass('amocrm_companies_fields') IS NOT NULL")).isEqualTo(true);
        assertThat(db.count("SELECT count(*) FROM amocrm_custom_fields WHERE entity_type = 'contacts'")).isZero();
        assertThat(db.count("SELECT count(*) FROM amocrm_catalogs WHERE catalog LIKE '%contacts%'")).isZero();
        assertThat(simulator.stats().toPath("/api/v4/contacts/custom_fields")).isZero();
        assertThat(simulator.stats().toPath("/api/v4/companies/custom_fields")).isEqualTo(1);

        simulator.stats().reset();
        VertxContextSupport.subscribeAndAwait(() -> catalogs.refreshIfDue(named("leads", "companies")));

        assertThat(simulator.stats().toPath(USERS) + simulator.stats().toPath("/api/v4/account")).isZero();
    }

    @Test
    void aContactNamingAnUnknownFieldRefreshesTheCatalogsAtOnce() {
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withEntities(35, 20, 40, 10,
                Duration.ofDays(2)));
        run();
        account.catalogs().addField("contacts", new SimCatalogs.Field(1_100_013, "Промокод", "text", null, 520, false,
                null));
        SimContact contact = account.liveContacts().values().iterator().next();
        account.putContact(new SimContact(contact.id(), contact.name(), contact.firstName(), contact.lastName(),
                contact.responsibleUserId(), contact.groupId(), contact.createdBy(), contact.updatedBy(),
                contact.createdAt(), account.now(), """
                        [{"field_id": 1100013, "field_name": "Промокод", "field_code": null, "field_type": "text",
                          "values": [{"value": "ЛЕТО-2026"}]}]""", contact.companyId(), contact.tagIds()));
        nextSecond(account);
        simulator.stats().reset();

        run();

        assertThat(simulator.stats().toPath("/api/v4/contacts/custom_fields")).isEqualTo(1);
        assertThat(db.value("SELECT promokod FROM amocrm_contacts_fields WHERE amocrm_contact_id = ?", contact.id()))
                .isEqualTo("ЛЕТО-2026");
        assertThat(db.value("SELECT promokod FROM amocrm_contacts_fields WHERE amocrm_contact_id <> ? LIMIT 1",
                contact.id())).isNull();
    }

    private void run() {
        try {
            SyncReport report = VertxContextSupport.subscribeAndAwait(() -> sync.run(SyncRequest.incremental()));
            assertThat(report.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        } catch (Throwable e) {
            throw new AssertionError("the sync failed: " + e.getMessage(), e);
        }
    }

    /** A run leaves amoCRM's current second to the next run: let the edit's second pass. */
    private static void nextSecond(SimulatedAccount account) {
        long edited = account.now();
        while (account.now() <= edited) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** As if the catalogs were read longer ago than their max age. */
    private void catalogsAreDue() {
        db.update("UPDATE amocrm_catalogs SET checked_at = checked_at - interval '1 day'");
    }

    private Map<String, String> columns() {
        return columns("amocrm_deals_fields");
    }

    private Map<String, String> columns(String view) {
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        db.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?"
                + " AND table_schema = current_schema() ORDER BY ordinal_position", view)
                .forEach(row -> columns.put((String) row.get("column_name"), (String) row.get("data_type")));
        return columns;
    }

    private List<Map<String, Object>> otherFields(long except) {
        return db.rows("SELECT *, CAST(xmin AS text) AS x FROM amocrm_custom_fields WHERE field_id <> ? ORDER BY 2", except);
    }

    private Map<Long, JsonNode> values(SimLead lead) throws Exception {
        return values(lead.customFieldsJson());
    }

    private Map<Long, JsonNode> values(String customFieldsJson) throws Exception {
        Map<Long, JsonNode> values = new HashMap<>();
        if (customFieldsJson != null) {
            json.readTree(customFieldsJson).forEach(f -> values.put(f.path("field_id").asLong(), f.path("values")));
        }
        return values;
    }

    /** Every value of a multi-valued field, as the view's text array joined with {@code |}. */
    private static String all(JsonNode values) {
        if (values == null) {
            return null;
        }
        List<String> all = new java.util.ArrayList<>();
        values.forEach(v -> all.add(v.path("value").asText()));
        return String.join("|", all);
    }

    private static String text(JsonNode values) {
        return values == null ? null : values.path(0).path("value").asText();
    }

    private static long moscowInstant(long wireSeconds) {
        return LocalDateTime.ofEpochSecond(wireSeconds, 0, ZoneOffset.UTC).atZone(ACCOUNT_ZONE).toEpochSecond();
    }

    private static Map<String, Object> row(SimCatalogs.User user) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("amocrm_user_id", user.id());
        row.put("name", user.name());
        row.put("email", user.email());
        row.put("is_active", user.active());
        row.put("is_admin", user.admin());
        row.put("is_deleted", false);
        return row;
    }

    private static Map<String, Object> row(SimCatalogs.Field field) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("field_id", field.id());
        row.put("name", field.name());
        row.put("type", field.type());
        row.put("sort", field.sort());
        row.put("is_deleted", false);
        return row;
    }
}
