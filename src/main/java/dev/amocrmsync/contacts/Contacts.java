package dev.amocrmsync.contacts;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.mirror.Deletions;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.Mirrored;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.Table;
import io.smallrye.mutiny.Uni;

/**
 * Contacts, mirrored into {@code amocrm_contacts} with their company; their deals are kept by the deals' side. A
 * written contact's company replaces its row in {@code amocrm_contact_companies}, and the deals it lists are linked in
 * {@code amocrm_deal_contacts} if they were not.
 */
@ApplicationScoped
public class Contacts implements Mirrored {

    private static final String WRITTEN = """
            SELECT CAST(jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) AS bigint)""";
    private static final String DROP_COMPANIES = "DELETE FROM amocrm_contact_companies WHERE amocrm_contact_id IN ("
            + WRITTEN + ")";
    private static final String ADD_COMPANIES = """
            INSERT INTO amocrm_contact_companies (amocrm_contact_id, amocrm_company_id)
            SELECT c.amocrm_contact_id, CAST(x AS bigint)
            FROM amocrm_contacts c, jsonb_array_elements_text(c.metadata -> 'company_ids') AS x
            WHERE c.amocrm_contact_id IN (%s) AND jsonb_typeof(c.metadata -> 'company_ids') = 'array'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);
    // additive: the deal's side owns these links (with is_main) and replaces them; a contact's list brings back the
    // links its restoration makes visible again
    private static final String ADD_DEALS = """
            INSERT INTO amocrm_deal_contacts (amocrm_deal_id, amocrm_contact_id, is_main)
            SELECT x, c.amocrm_contact_id, false
            FROM amocrm_contacts c, jsonb_array_elements_text(c.metadata -> 'lead_ids') AS x
            WHERE c.amocrm_contact_id IN (%s) AND jsonb_typeof(c.metadata -> 'lead_ids') = 'array'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);

    private final Entity<ContactRow> entity;

    Contacts(ContactMapper mapper) {
        this.entity = Entity.<ContactRow> named("contacts", "contact", 20)
                // a contact lists its company by default; its deals, to link them back when it is restored (amoCRM
                // hides a deleted contact from its deals without touching them)
                .list(ItemList.ordered("contacts", "leads"))
                .table(Table.named("amocrm_contacts", "amocrm_contact_id", ContactRow::amocrmContactId)
                        .columns("name text", "first_name text", "last_name text", "responsible_user_id bigint",
                                "group_id bigint", "created_by bigint", "updated_by bigint", "phones text[]",
                                "emails text[]", "custom_fields jsonb", "metadata jsonb")
                        .times("created_at", "closest_task_at")
                        .afterWrite(DROP_COMPANIES, ADD_COMPANIES, ADD_DEALS)
                        .build())
                .mapping(() -> Uni.createFrom().item(RowMapper.onWorker(mapper::map)))
                .deletions(Deletions.byEvents("contact"))
                .customFields("custom_fields")
                .webhooks("contacts")
                .build();
    }

    @Override
    public Entity<ContactRow> entity() {
        return entity;
    }
}
