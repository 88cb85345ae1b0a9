package dev.amocrmsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.simulator.Catalog;
import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;

/** The sync's promise as an assertion: {@code amocrm_deals} equals the account, lead for lead. */
public final class Mirror {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Mirror() {
    }

    public static void assertDatabaseEquals(Db db, SimulatedAccount account) {
        assertDatabaseEquals(db, account, java.util.Set.of());
    }

    /** Whether the database equals the account now, for polling while a process is still writing. */
    public static boolean equals(Db db, SimulatedAccount account) {
        try {
            assertDatabaseEquals(db, account);
            return true;
        } catch (AssertionError notYet) {
            return false;
        }
    }

    /** As {@link #assertDatabaseEquals(Db, SimulatedAccount)}, leaving out leads served verbatim. */
    public static void assertDatabaseEquals(Db db, SimulatedAccount account, java.util.Set<Long> except) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : db.rows("""
                SELECT amocrm_deal_id, name, price, status_id, status_label, pipeline_id, responsible_user_id,
                       CAST(extract(epoch FROM updated_at) AS bigint) AS updated_at, is_deleted,
                       CAST(metadata -> 'custom_fields_values' AS text) AS custom_fields_values
                FROM amocrm_deals""")) {
            rows.put((String) row.get("amocrm_deal_id"), row);
        }
        Map<Long, SimLead> live = account.liveLeads();
        Map<Long, SimLead> deleted = account.deletedLeads();
        for (SimLead lead : live.values()) {
            if (except.contains(lead.id())) {
                continue;
            }
            Map<String, Object> row = rows.get(Long.toString(lead.id()));
            assertThat(row).as("lead %d is in amocrm_deals", lead.id()).isNotNull();
            assertThat(row.get("updated_at")).as("updated_at of lead %d", lead.id()).isEqualTo(lead.updatedAt());
            assertThat(row.get("name")).as("name of lead %d", lead.id()).isEqualTo(lead.name());
            assertThat(((Number) row.get("price")).longValue()).as("price of lead %d", lead.id()).isEqualTo(lead.price());
            assertThat(row.get("status_id")).as("status of lead %d", lead.id()).isEqualTo(lead.statusId());
            assertThat(row.get("pipeline_id")).isEqualTo(lead.pipelineId());
            assertThat(row.get("status_label")).as("status label of lead %d", lead.id())
                    .isEqualTo(Catalog.statusName(lead.pipelineId(), lead.statusId()));
            assertThat(row.get("is_deleted")).as("lead %d is live", lead.id()).isEqualTo(false);
            assertThat(json((String) row.get("custom_fields_values"))).as("custom fields of lead %d", lead.id())
                    .isEqualTo(json(lead.customFieldsJson()));
        }
        for (Long id : deleted.keySet()) {
            Map<String, Object> row = rows.get(Long.toString(id));
            if (row != null) {
                assertThat(row.get("is_deleted")).as("deleted lead %d is flagged", id).isEqualTo(true);
            }
        }
        assertThat(rows.keySet()).as("no row without a lead").allMatch(id -> live.containsKey(Long.valueOf(id))
                || deleted.containsKey(Long.valueOf(id)) || except.contains(Long.valueOf(id)));
    }

    /**
     * The promise for the rest of the account: {@code amocrm_contacts} and {@code amocrm_companies} equal its contacts
     * and companies (deleted ones flagged), and the links to live items equal what amoCRM shows.
     */
    public static void assertEntitiesEqual(Db db, SimulatedAccount account) {
        assertTableEquals(db, "amocrm_contacts", "amocrm_contact_id", "contact", account.liveContacts(),
                account.deletedContacts().keySet());
        assertTableEquals(db, "amocrm_companies", "amocrm_company_id", "company", account.liveCompanies(),
                account.deletedCompanies().keySet());
        Map<Long, java.util.Set<Long>> dealContacts = new HashMap<>();
        Map<Long, Long> mainContacts = new HashMap<>();
        for (Map<String, Object> row : db.rows("""
                SELECT CAST(l.amocrm_deal_id AS bigint) AS deal, l.amocrm_contact_id AS contact, l.is_main
                FROM amocrm_deal_contacts l
                JOIN amocrm_contacts c ON c.amocrm_contact_id = l.amocrm_contact_id AND NOT c.is_deleted""")) {
            long deal = ((Number) row.get("deal")).longValue();
            long contact = ((Number) row.get("contact")).longValue();
            dealContacts.computeIfAbsent(deal, d -> new java.util.HashSet<>()).add(contact);
            if (Boolean.TRUE.equals(row.get("is_main"))) {
                mainContacts.put(deal, contact);
            }
        }
        Map<Long, Long> dealCompanies = pairs(db, """
                SELECT CAST(l.amocrm_deal_id AS bigint) AS left_id, l.amocrm_company_id AS right_id
                FROM amocrm_deal_companies l
                JOIN amocrm_companies c ON c.amocrm_company_id = l.amocrm_company_id AND NOT c.is_deleted""");
        account.liveLeadLinks().forEach((lead, links) -> {
            assertThat(dealContacts.getOrDefault(lead, java.util.Set.of())).as("contacts of deal %d", lead)
                    .containsExactlyInAnyOrderElementsOf(links.contactIds());
            if (links.mainContactId() != null) {
                assertThat(mainContacts.get(lead)).as("main contact of deal %d", lead).isEqualTo(links.mainContactId());
            }
            assertThat(dealCompanies.get(lead)).as("company of deal %d", lead).isEqualTo(links.companyId());
        });
        Map<Long, Long> contactCompanies = pairs(db, """
                SELECT l.amocrm_contact_id AS left_id, l.amocrm_company_id AS right_id
                FROM amocrm_contact_companies l
                JOIN amocrm_companies c ON c.amocrm_company_id = l.amocrm_company_id AND NOT c.is_deleted""");
        Map<Long, Long> shown = account.liveContactCompanies();
        account.liveContacts().keySet().forEach(contact -> assertThat(contactCompanies.get(contact))
                .as("company of contact %d", contact).isEqualTo(shown.get(contact)));
    }

    /** Whether contacts, companies and links equal the account now. */
    public static boolean entitiesEqual(Db db, SimulatedAccount account) {
        try {
            assertEntitiesEqual(db, account);
            return true;
        } catch (AssertionError notYet) {
            return false;
        }
    }

    private static void assertTableEquals(Db db, String table, String idColumn, String one,
            Map<Long, ? extends dev.amocrmsync.simulator.SimEntity> live, java.util.Set<Long> deleted) {
        Map<Long, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : db.rows("SELECT " + idColumn + " AS id, name, is_deleted,"
                + " CAST(extract(epoch FROM updated_at) AS bigint) AS updated_at,"
                + " CAST(custom_fields AS text) AS custom_fields FROM " + table)) {
            rows.put(((Number) row.get("id")).longValue(), row);
        }
        live.values().forEach(item -> {
            Map<String, Object> row = rows.get(item.id());
            assertThat(row).as("%s %d is in %s", one, item.id(), table).isNotNull();
            assertThat(row.get("updated_at")).as("updated_at of %s %d", one, item.id()).isEqualTo(item.updatedAt());
            assertThat(row.get("name")).as("name of %s %d", one, item.id()).isEqualTo(item.name());
            assertThat(row.get("is_deleted")).as("%s %d is live", one, item.id()).isEqualTo(false);
            assertThat(json((String) row.get("custom_fields"))).as("custom fields of %s %d", one, item.id())
                    .isEqualTo(json(item.customFieldsJson()));
        });
        deleted.forEach(id -> {
            Map<String, Object> row = rows.get(id);
            if (row != null) {
                assertThat(row.get("is_deleted")).as("deleted %s %d is flagged", one, id).isEqualTo(true);
            }
        });
        assertThat(rows.keySet()).as("no row of %s without a %s", table, one)
                .allMatch(id -> live.containsKey(id) || deleted.contains(id));
    }

    private static Map<Long, Long> pairs(Db db, String sql) {
        Map<Long, Long> pairs = new HashMap<>();
        db.rows(sql).forEach(row -> pairs.put(((Number) row.get("left_id")).longValue(),
                ((Number) row.get("right_id")).longValue()));
        return pairs;
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? JSON.nullNode() : JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
