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

    private static JsonNode json(String text) {
        try {
            return text == null ? JSON.nullNode() : JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
