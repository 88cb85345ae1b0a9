package dev.amocrmsync.store;

import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code amocrm_contacts}; a written contact's company replaces its row in {@code amocrm_contact_companies}, and the
 * deals it lists are linked in {@code amocrm_deal_contacts} if they were not.
 */
@Singleton
public class ContactStore extends EntityTable<ContactRow> {

    private static final EntityTableSql SQL = new EntityTableSql("amocrm_contacts", "amocrm_contact_id",
            List.of("amocrm_contact_id bigint", "name text", "first_name text", "last_name text",
                    "responsible_user_id bigint", "group_id bigint", "created_by bigint", "updated_by bigint",
                    "phones text[]", "emails text[]", "custom_fields jsonb", "metadata jsonb"),
            List.of("created_at", "closest_task_at"));

    private static final String DROP_COMPANIES = """
            DELETE FROM amocrm_contact_companies
            WHERE amocrm_contact_id IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS bigint))
            """;
    private static final String ADD_COMPANIES = """
            INSERT INTO amocrm_contact_companies (amocrm_contact_id, amocrm_company_id)
            SELECT c.amocrm_contact_id, CAST(x AS bigint)
            FROM amocrm_contacts c, jsonb_array_elements_text(c.metadata -> 'company_ids') AS x
            WHERE c.amocrm_contact_id IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))
                                                      AS bigint))
              AND jsonb_typeof(c.metadata -> 'company_ids') = 'array'
            ON CONFLICT DO NOTHING
            """;

    // additive: the deal's side owns these links (with is_main) and replaces them; a contact's list brings back the
    // links its restoration makes visible again
    private static final String ADD_DEALS = """
            INSERT INTO amocrm_deal_contacts (amocrm_deal_id, amocrm_contact_id, is_main)
            SELECT x, c.amocrm_contact_id, false
            FROM amocrm_contacts c, jsonb_array_elements_text(c.metadata -> 'lead_ids') AS x
            WHERE c.amocrm_contact_id IN (SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))
                                                      AS bigint))
              AND jsonb_typeof(c.metadata -> 'lead_ids') = 'array'
            ON CONFLICT DO NOTHING
            """;

    ContactStore(ObjectMapper json) {
        super(json, SQL, List.of(DROP_COMPANIES, ADD_COMPANIES, ADD_DEALS));
    }

    @Override
    public String id(ContactRow row) {
        return Long.toString(row.amocrmContactId());
    }
}
