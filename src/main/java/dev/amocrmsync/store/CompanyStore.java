package dev.amocrmsync.store;

import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code amocrm_companies}. Its links are kept by the deals and contacts that list it; the deals and contacts a written
 * company lists are linked if they were not.
 */
@Singleton
public class CompanyStore extends EntityTable<CompanyRow> {

    private static final EntityTableSql SQL = new EntityTableSql("amocrm_companies", "amocrm_company_id",
            List.of("amocrm_company_id bigint", "name text", "responsible_user_id bigint", "group_id bigint",
                    "created_by bigint", "updated_by bigint", "phones text[]", "emails text[]", "custom_fields jsonb",
                    "metadata jsonb"),
            List.of("created_at", "closest_task_at"));

    // additive: deals and contacts own these links and replace them; a company's lists bring back the links its
    // restoration makes visible again
    private static final String WRITTEN = """
            SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS bigint)""";
    private static final String ADD_DEALS = """
            INSERT INTO amocrm_deal_companies (amocrm_deal_id, amocrm_company_id)
            SELECT x, c.amocrm_company_id
            FROM amocrm_companies c, jsonb_array_elements_text(c.metadata -> 'lead_ids') AS x
            WHERE c.amocrm_company_id IN (%s) AND jsonb_typeof(c.metadata -> 'lead_ids') = 'array'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);
    private static final String ADD_CONTACTS = """
            INSERT INTO amocrm_contact_companies (amocrm_contact_id, amocrm_company_id)
            SELECT CAST(x AS bigint), c.amocrm_company_id
            FROM amocrm_companies c, jsonb_array_elements_text(c.metadata -> 'contact_ids') AS x
            WHERE c.amocrm_company_id IN (%s) AND jsonb_typeof(c.metadata -> 'contact_ids') = 'array'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);

    CompanyStore(ObjectMapper json) {
        super(json, SQL, List.of(ADD_DEALS, ADD_CONTACTS));
    }

    @Override
    public String id(CompanyRow row) {
        return Long.toString(row.amocrmCompanyId());
    }
}
