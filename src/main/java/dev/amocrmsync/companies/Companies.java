package dev.amocrmsync.companies;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.mirror.Deletions;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.Mirrored;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.Table;
import io.smallrye.mutiny.Uni;

/**
 * Companies, mirrored into {@code amocrm_companies}. Their links are kept by the deals and contacts that list them;
 * the deals and contacts a written company lists are linked if they were not.
 */
@ApplicationScoped
public class Companies implements Mirrored {

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

    private final Entity<CompanyRow> entity;

    Companies(CompanyMapper mapper) {
        this.entity = Entity.<CompanyRow> named("companies", "company", 30)
                // deals and contacts list their company; its own lists link them back when it is restored (amoCRM
                // hides a deleted company from them without touching them)
                .list(ItemList.ordered("companies", "leads,contacts"))
                .table(Table.named("amocrm_companies", "amocrm_company_id", CompanyRow::amocrmCompanyId)
                        .columns("name text", "responsible_user_id bigint", "group_id bigint", "created_by bigint",
                                "updated_by bigint", "phones text[]", "emails text[]", "custom_fields jsonb",
                                "metadata jsonb")
                        .times("created_at", "closest_task_at")
                        .afterWrite(ADD_DEALS, ADD_CONTACTS)
                        .build())
                .mapping(() -> Uni.createFrom().item(RowMapper.onWorker(mapper::map)))
                .deletions(Deletions.byEvents("company"))
                .customFields("custom_fields")
                .webhooks("companies")
                .build();
    }

    @Override
    public Entity<CompanyRow> entity() {
        return entity;
    }
}
