package dev.amocrmsync.leads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.RowMapper;

class LeadMapperTest {

    private final ObjectMapper json = new ObjectMapper();
    private final LeadMapper mapper = new LeadMapper(json, new TestLeadsConfig());
    private final StatusCatalog catalog = new StatusCatalog(null,
            List.of(new StatusLabel(8_580_102, 142, "Аренда авто", "Успешно реализовано")), false);

    @Test
    void theRentProgIdIsTextWhetherItArrivesAsStringOrNumber() {
        assertThat(LeadMapper.rentprogBookingId(field(902_255, "\"470049\""), 902_255)).isEqualTo("470049");
        assertThat(LeadMapper.rentprogBookingId(field(902_255, "470049"), 902_255)).isEqualTo("470049");
        assertThat(LeadMapper.rentprogBookingId(field(902_255, "470049.0"), 902_255)).isEqualTo("470049");
        assertThat(LeadMapper.rentprogBookingId(field(902_255, "\" \""), 902_255)).isNull();
        assertThat(LeadMapper.rentprogBookingId(
                read("[{\"field_id\": 1, \"field_name\": \"Бюджет\", \"values\": [{\"value\": 5}]}]"),
                902_255)).isNull();
        assertThat(LeadMapper.rentprogBookingId(json.nullNode(), 902_255)).isNull();
        assertThat(LeadMapper.rentprogBookingId(null, 902_255)).isNull();
    }

    @Test
    void aFieldNamedRentProgStandsInWhenTheConfiguredFieldIsMissing() {
        JsonNode fields = read("[{\"field_id\": 5, \"field_name\": \"ID брони RentProg\", \"values\": [{\"value\": 77}]}]");

        assertThat(LeadMapper.rentprogBookingId(fields, 902_255)).isEqualTo("77");
    }

    @Test
    void everythingWithoutAColumnIsKeptInMetadataAsReceived() {
        JsonNode lead = read("""
                {"id": 31, "name": "Аренда \\"Kia\\" 🚗\\n", "price": "1500", "status_id": 142, "pipeline_id": 8580102,
                 "updated_at": 1750000000, "custom_fields_values": [
                   {"field_id": 902255, "field_name": "RentProg", "values": [{"value": 470049}]},
                   {"field_id": 2, "field_name": "Доставка", "values": [{"value": true}]},
                   {"field_id": 3, "field_name": "Реквизиты", "values": [{"value": {"inn": "7701"}}]}],
                 "_embedded": {"tags": [{"id": 1, "name": "VIP", "color": null}],
                               "contacts": [{"id": 9, "is_main": true}, {"id": 10, "is_main": false}],
                               "companies": [{"id": 5}]}}""");

        DealRow row = mapper.map(List.of(new Keyed(31, 1_750_000_000, lead)), catalog).rows().get(0);

        assertThat(row.name()).isEqualTo("Аренда \"Kia\" 🚗\n");
        assertThat(row.price()).isEqualByComparingTo("1500");
        assertThat(row.statusLabel()).isEqualTo("Успешно реализовано");
        assertThat(row.pipelineName()).isEqualTo("Аренда авто");
        assertThat(row.metadata().path("rentprog_booking_id").asText()).isEqualTo("470049");
        assertThat(row.metadata().path("custom_fields_values")).isEqualTo(lead.path("custom_fields_values"));
        assertThat(row.metadata().path("contacts").toString())
                .isEqualTo("[{\"id\":9,\"is_main\":true},{\"id\":10,\"is_main\":false}]");
        assertThat(row.metadata().path("company_ids").toString()).isEqualTo("[5]");
        assertThat(row.customFields().path("Реквизиты").path("inn").asText()).isEqualTo("7701");
    }

    @Test
    void customFieldsValuesNullStaysNull() {
        JsonNode lead = read("{\"id\": 1, \"updated_at\": 5, \"custom_fields_values\": null}");

        DealRow row = mapper.map(List.of(new Keyed(1, 5, lead)), catalog).rows().get(0);

        assertThat(row.metadata().path("custom_fields_values").isNull()).isTrue();
        assertThat(row.metadata().path("rentprog_booking_id").isNull()).isTrue();
        assertThat(row.statusLabel()).isNull();
    }

    @Test
    void aLeadThatCannotBeReadIsQuarantinedWithTheReason() {
        JsonNode lead = read("{\"id\": 2, \"updated_at\": 5, \"price\": \"twelve\", \"_embedded\": {\"tags\": 3}}");

        RowMapper.Mapped<DealRow> mapped = mapper.map(List.of(new Keyed(2, 5, lead)), catalog);

        assertThat(mapped.rows()).isEmpty();
        assertThat(mapped.quarantined()).singleElement().satisfies(q -> {
            assertThat(q.amocrmId()).isEqualTo("2");
            assertThat(q.reason()).startsWith("cannot read the lead");
            assertThat(q.raw()).isEqualTo(lead);
        });
    }

    @Test
    void leadsWithoutIdOrUpdatedAtCannotBeKeyed() {
        Keyed.Split split = Keyed.split(List.of(read("{\"id\": \"12\", \"updated_at\": 7}"),
                read("{\"id\": 13}"), read("{\"name\": \"x\", \"updated_at\": 7}"), read("{\"id\": 1.5, \"updated_at\": 7}")));

        assertThat(split.keyed()).extracting(Keyed::id).containsExactly(12L);
        assertThat(split.unkeyed()).hasSize(3);
    }

    private JsonNode field(long id, String value) {
        return read("[{\"field_id\": " + id + ", \"field_name\": \"RentProg ID\", \"values\": [{\"value\": " + value + "}]}]");
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The defaults of {@link LeadsConfig}, without booting Quarkus. */
    record TestLeadsConfig() implements LeadsConfig {
        public long rentprogFieldId() {
            return 902_255;
        }

        public java.time.Duration pipelinesMaxAge() {
            return java.time.Duration.ofHours(1);
        }
    }
}
