package dev.amocrmsync.simulator;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;

/** Renders contacts and companies as amoCRM sends them, streaming; {@link SimList} puts them in the envelope. */
final class PartyJson {

    private PartyJson() {
    }

    /** One contact with what {@code links} resolved for its page. */
    static void contact(JsonGenerator json, SimContact contact, EntitiesAnswer<SimContact> links, String baseUrl)
            throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", contact.id());
        json.writeStringField("name", contact.name());
        json.writeStringField("first_name", contact.firstName());
        json.writeStringField("last_name", contact.lastName());
        head(json, contact.responsibleUserId(), contact.groupId(), contact.createdBy(), contact.updatedBy(),
                contact.createdAt(), contact.updatedAt());
        json.writeBooleanField("is_unsorted", false);
        tail(json, "contacts", contact.id(), contact.customFieldsJson(), baseUrl);
        LeadJson.tags(json, contact.tagIds(), links.tags());
        Long company = links.companies().get(contact.id());
        LeadJson.refs(json, "companies", company == null ? List.of() : List.of(company), baseUrl);
        if (links.withLeads()) {
            LeadJson.refs(json, "leads", links.leads().getOrDefault(contact.id(), List.of()), baseUrl);
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    /** One company with what {@code links} resolved for its page. */
    static void company(JsonGenerator json, SimCompany company, EntitiesAnswer<SimCompany> links, String baseUrl)
            throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", company.id());
        json.writeStringField("name", company.name());
        head(json, company.responsibleUserId(), company.groupId(), company.createdBy(), company.updatedBy(),
                company.createdAt(), company.updatedAt());
        tail(json, "companies", company.id(), company.customFieldsJson(), baseUrl);
        LeadJson.tags(json, company.tagIds(), links.tags());
        if (links.withLeads()) {
            LeadJson.refs(json, "leads", links.leads().getOrDefault(company.id(), List.of()), baseUrl);
        }
        if (links.withContacts()) {
            LeadJson.refs(json, "contacts", links.contacts().getOrDefault(company.id(), List.of()), baseUrl);
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void head(JsonGenerator json, long responsible, long group, long createdBy, long updatedBy,
            long createdAt, long updatedAt) throws IOException {
        json.writeNumberField("responsible_user_id", responsible);
        json.writeNumberField("group_id", group);
        json.writeNumberField("created_by", createdBy);
        json.writeNumberField("updated_by", updatedBy);
        json.writeNumberField("created_at", createdAt);
        json.writeNumberField("updated_at", updatedAt);
        json.writeNullField("closest_task_at");
        json.writeBooleanField("is_deleted", false);
    }

    /** The custom fields, account and self link, and the opening of {@code _embedded}. */
    private static void tail(JsonGenerator json, String entity, long id, String customFields, String baseUrl)
            throws IOException {
        json.writeFieldName("custom_fields_values");
        if (customFields == null) {
            json.writeNull();
        } else {
            json.writeRawValue(customFields);
        }
        json.writeNumberField("account_id", Catalog.ACCOUNT_ID);
        json.writeObjectFieldStart("_links");
        LeadJson.link(json, "self", baseUrl + "/api/v4/" + entity + "/" + id);
        json.writeEndObject();
        json.writeObjectFieldStart("_embedded");
    }
}
