package dev.amocrmsync.leads;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.mirror.Deletions;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.Mirrored;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.Table;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Leads, mirrored into {@code amocrm_deals} with their contacts and company ({@code with=contacts}): the table the
 * original script filled and the business reads. Its ways are options of its description: the id kept as text, keys
 * other writers put in {@code metadata} kept, rows without {@code updated_at} adopted, the RentProg booking id in
 * verbose lines, the original script's log lines and metric names, and the bin a full sync reads. A run's mapping
 * labels each deal with its pipeline and status names, read from amoCRM at most once a run.
 */
@ApplicationScoped
public class Leads implements Mirrored {

    // a written deal's links are what it lists now (metadata.contacts, metadata.company_ids), replaced whole
    private static final String WRITTEN = "SELECT jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))";
    private static final String DROP_CONTACTS = "DELETE FROM amocrm_deal_contacts WHERE amocrm_deal_id IN (" + WRITTEN
            + ")";
    private static final String ADD_CONTACTS = """
            INSERT INTO amocrm_deal_contacts (amocrm_deal_id, amocrm_contact_id, is_main)
            SELECT d.amocrm_deal_id, CAST(c ->> 'id' AS bigint), COALESCE(CAST(c ->> 'is_main' AS boolean), false)
            FROM amocrm_deals d, jsonb_array_elements(d.metadata -> 'contacts') AS c
            WHERE d.amocrm_deal_id IN (%s) AND jsonb_typeof(d.metadata -> 'contacts') = 'array'
              AND c ->> 'id' ~ '^[0-9]{1,18}$'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);
    private static final String DROP_COMPANIES = "DELETE FROM amocrm_deal_companies WHERE amocrm_deal_id IN ("
            + WRITTEN + ")";
    private static final String ADD_COMPANIES = """
            INSERT INTO amocrm_deal_companies (amocrm_deal_id, amocrm_company_id)
            SELECT d.amocrm_deal_id, CAST(c AS bigint)
            FROM amocrm_deals d, jsonb_array_elements_text(d.metadata -> 'company_ids') AS c
            WHERE d.amocrm_deal_id IN (%s) AND jsonb_typeof(d.metadata -> 'company_ids') = 'array'
              AND c ~ '^[0-9]{1,18}$'
            ON CONFLICT DO NOTHING
            """.formatted(WRITTEN);

    static final Table<DealRow> TABLE = Table.namedWithTextId("amocrm_deals", "amocrm_deal_id", DealRow::amocrmDealId)
            .columns("name text", "price numeric", "status_id bigint", "status_label text", "pipeline_id bigint",
                    "pipeline_name text", "responsible_user_id bigint", "loss_reason_id bigint", "created_by bigint",
                    "updated_by bigint", "custom_fields jsonb", "metadata jsonb")
            .times("created_at", "closed_at", "closest_task_at")
            .mergingMetadata()
            .afterWrite(DROP_CONTACTS, ADD_CONTACTS, DROP_COMPANIES, ADD_COMPANIES)
            .build();

    private final Entity<DealRow> entity;
    private final LeadMapper mapper;

    Leads(LeadMapper mapper, StatusCatalogs catalogs) {
        this.mapper = mapper;
        this.entity = Entity.<DealRow> named("leads", "lead", 10)
                .rowsCalled("deals")
                .list(ItemList.ordered("leads", "contacts"))
                .table(TABLE)
                .mapping(() -> catalogs.open().map(catalog -> new RowMapper<DealRow>() {
                    @Override
                    public Uni<Mapped<DealRow>> map(List<Keyed> items) {
                        // the CPU work leaves the event loop; the scanner comes back to the run's context after it
                        return catalog.covering(items).emitOn(Infrastructure.getDefaultWorkerPool())
                                .map(known -> mapper.map(items, known));
                    }

                    @Override
                    public Uni<Void> close() {
                        return catalogs.save(catalog);
                    }
                }))
                .deletions(Deletions.byEvents("lead").withBin())
                // custom_fields_values stays inside metadata, as the original system kept it
                .customFields("metadata -> 'custom_fields_values'")
                .webhooks("leads")
                .verbose(deal -> {
                    String booking = deal.metadata().path("rentprog_booking_id").asText(null);
                    return deal.amocrmDealId() + (booking == null ? "" : " (RentProg: " + booking + ")");
                })
                .asTheOriginalScriptDid()
                .build();
    }

    @Override
    public Entity<DealRow> entity() {
        return entity;
    }

    /** A mapping that knows these labels and never asks amoCRM (the store benchmark's synthetic pages). */
    public RowMapper<DealRow> mapperKnowing(List<StatusLabel> labels) {
        StatusCatalog catalog = new StatusCatalog(null, labels, false);
        return items -> Uni.createFrom().item(mapper.map(items, catalog));
    }
}
