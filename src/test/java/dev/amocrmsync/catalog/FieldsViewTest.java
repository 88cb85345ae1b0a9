package dev.amocrmsync.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.catalog.FieldsView.Column;
import dev.amocrmsync.catalog.FieldsView.Kind;
import dev.amocrmsync.catalog.FieldsView.Source;

class FieldsViewTest {

    private static final List<Column> COLUMNS = List.of(new Column("rentprog_id", 902_255, Kind.TEXT),
            new Column("zalog", 902_265, Kind.NUMERIC), new Column("dostavka", 902_263, Kind.BOOLEAN),
            new Column("data_nachala_arendy", 902_259, Kind.TIMESTAMP), new Column("telefon", 902_271, Kind.TEXT_ARRAY),
            new Column("rekvizity", 902_273, Kind.JSONB));

    // the definition amocrm_deals_fields had before the builder served contacts and companies: its saved hash must
    // stay valid, or every installation would rebuild the view (and lose its grants) on upgrade
    private static final String DEALS_BEFORE = """
            CREATE VIEW amocrm_deals_fields AS
            SELECT d.amocrm_deal_id, d.is_deleted,
                   ((cf.v -> '902255') -> 0 ->> 'value') AS "rentprog_id",
                   CASE WHEN replace(btrim(((cf.v -> '902265') -> 0 ->> 'value')), ',', '.') ~ '^[-+]{0,1}[0-9]+(\\.[0-9]*){0,1}([eE][-+]{0,1}[0-9]+){0,1}$' THEN CAST(replace(btrim(((cf.v -> '902265') -> 0 ->> 'value')), ',', '.') AS numeric) END AS "zalog",
                   CASE lower(((cf.v -> '902263') -> 0 ->> 'value')) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN '0' THEN false END AS "dostavka",
                   CASE WHEN btrim(((cf.v -> '902259') -> 0 ->> 'value')) ~ '^-{0,1}[0-9]{1,11}$' THEN (to_timestamp(CAST(btrim(((cf.v -> '902259') -> 0 ->> 'value')) AS bigint)) AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Moscow' END AS "data_nachala_arendy",
                   CASE WHEN jsonb_typeof((cf.v -> '902271')) = 'array' THEN ARRAY(SELECT e ->> 'value' FROM jsonb_array_elements((cf.v -> '902271')) AS e) END AS "telefon",
                   (cf.v -> '902273') AS "rekvizity"
            FROM amocrm_deals d
            LEFT JOIN LATERAL (
                SELECT jsonb_object_agg(f ->> 'field_id', f -> 'values') AS v
                FROM jsonb_array_elements(CASE WHEN jsonb_typeof(d.metadata -> 'custom_fields_values') = 'array'
                                               THEN d.metadata -> 'custom_fields_values' END) AS f
                WHERE jsonb_typeof(f) = 'object' AND f ->> 'field_id' IS NOT NULL
            ) AS cf ON true""";

    // what the entities' descriptions make of their views
    private static final Source DEALS = new Source("leads", "amocrm_deals_fields", "amocrm_deals", "amocrm_deal_id",
            "metadata -> 'custom_fields_values'");
    private static final Source CONTACTS = new Source("contacts", "amocrm_contacts_fields", "amocrm_contacts",
            "amocrm_contact_id", "custom_fields");
    private static final Source COMPANIES = new Source("companies", "amocrm_companies_fields", "amocrm_companies",
            "amocrm_company_id", "custom_fields");

    @Test
    void theDealsViewIsDefinedExactlyAsBefore() {
        assertThat(FieldsView.definition(DEALS, COLUMNS, "Europe/Moscow")).isEqualTo(DEALS_BEFORE);
    }

    @Test
    void contactsAndCompaniesReadTheirRawCustomFieldsByTheirOwnId() {
        String contacts = FieldsView.definition(CONTACTS, COLUMNS, "Europe/Moscow");

        assertThat(contacts).isEqualTo(DEALS_BEFORE.replace("amocrm_deals_fields", "amocrm_contacts_fields")
                .replace("amocrm_deal_id", "amocrm_contact_id").replace("amocrm_deals d", "amocrm_contacts d")
                .replace("d.metadata -> 'custom_fields_values'", "d.custom_fields"));
        assertThat(FieldsView.definition(COMPANIES, List.of(), "UTC")).startsWith("""
                CREATE VIEW amocrm_companies_fields AS
                SELECT d.amocrm_company_id, d.is_deleted
                FROM amocrm_companies d
                """);
    }
}
