package dev.amocrmsync.leads;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.amocrmsync.amocrm.Lead;
import dev.amocrmsync.mirror.EachItem;
import dev.amocrmsync.mirror.ItemMetadata;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.RowMapper;

/**
 * Turns API leads into {@code amocrm_deals} rows. Everything amoCRM sent that has no column of its own goes into
 * {@code metadata} unchanged; a lead that cannot be read at all is quarantined with the reason instead of failing its
 * page.
 */
@ApplicationScoped
public class LeadMapper {

    private final ObjectMapper json;
    private final long rentprogFieldId;

    LeadMapper(ObjectMapper json, LeadsConfig config) {
        this.json = json;
        this.rentprogFieldId = config.rentprogFieldId();
    }

    RowMapper.Mapped<DealRow> map(List<Keyed> leads, StatusCatalog catalog) {
        return EachItem.map(leads, "lead", keyed -> {
            Lead lead = json.treeToValue(keyed.raw(), Lead.class);
            return row(lead, keyed, catalog.label(lead.pipelineId(), lead.statusId()));
        });
    }

    private DealRow row(Lead lead, Keyed keyed, Optional<StatusLabel> label) {
        JsonNode customFields = lead.customFieldsValues();
        ObjectNode metadata = json.createObjectNode();
        metadata.put("rentprog_booking_id", rentprogBookingId(customFields, rentprogFieldId));
        ArrayNode contacts = metadata.putArray("contacts");
        ArrayNode contactIds = metadata.putArray("contact_ids");
        lead.contacts().forEach(contact -> {
            contacts.addObject().put("id", contact.id()).put("is_main", Boolean.TRUE.equals(contact.isMain()));
            contactIds.add(contact.id());
        });
        ItemMetadata.ids(metadata, "company_ids", lead.companies());
        ItemMetadata.tags(metadata, lead.tags());
        metadata.set("custom_fields_values", customFields == null ? json.nullNode() : customFields);
        metadata.put("group_id", lead.groupId());
        metadata.put("score", lead.score());
        metadata.put("labor_cost", lead.laborCost());
        metadata.put("account_id", lead.accountId());
        String statusName = label.map(StatusLabel::statusName).orElse(null);
        String pipelineName = label.map(StatusLabel::pipelineName).orElse(null);
        return new DealRow(Long.toString(keyed.id()), lead.name(), lead.price(), lead.statusId(), statusName,
                lead.pipelineId(), pipelineName, lead.responsibleUserId(), lead.lossReasonId(), lead.createdBy(),
                lead.updatedBy(), lead.createdAt(), keyed.updatedAt(), lead.closedAt(), lead.closestTaskAt(),
                firstValues(customFields), metadata);
    }

    /**
     * The RentProg booking id: the first value of the configured field as text, whether amoCRM sends it as a string or
     * a number; as the original script did, a field named like "rentprog" stands in when that field is absent.
     */
    static String rentprogBookingId(JsonNode customFields, long fieldId) {
        if (customFields == null || !customFields.isArray()) {
            return null;
        }
        JsonNode byName = null;
        for (JsonNode field : customFields) {
            if (field.path("field_id").asLong(-1) == fieldId) {
                return firstValueText(field);
            }
            if (byName == null && field.path("field_name").asText("").toLowerCase().contains("rentprog")) {
                byName = field;
            }
        }
        return byName == null ? null : firstValueText(byName);
    }

    private static String firstValueText(JsonNode field) {
        JsonNode value = field.path("values").path(0).path("value");
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        String text;
        if (value.isIntegralNumber() || value.isTextual() || value.isBoolean()) {
            text = value.asText();
        } else if (value.isNumber()) {
            text = value.decimalValue().stripTrailingZeros().toPlainString();
        } else {
            text = value.toString();
        }
        return text.isBlank() ? null : text.strip();
    }

    /** {@code {field_name: first value}}, the shape the original script kept in {@code custom_fields}. */
    private JsonNode firstValues(JsonNode customFields) {
        ObjectNode flat = json.createObjectNode();
        if (customFields != null && customFields.isArray()) {
            for (JsonNode field : customFields) {
                JsonNode value = field.path("values").path(0).path("value");
                flat.set(field.path("field_name").asText(field.path("field_id").asText()),
                        value.isMissingNode() ? json.nullNode() : value);
            }
        }
        return flat;
    }
}
