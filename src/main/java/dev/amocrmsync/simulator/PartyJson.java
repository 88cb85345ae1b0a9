package dev.amocrmsync.simulator;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;

/** Renders pages of contacts and companies as amoCRM sends them, streaming, in the leads' envelope. */
final class PartyJson {

    private interface Item<T> {
        void write(JsonGenerator json, T item) throws IOException;
    }

    private PartyJson() {
    }

    static byte[] contactsPage(EntitiesAnswer<SimContact> answer, String baseUrl, String selfQuery) {
        return page("contacts", answer, baseUrl, selfQuery, (json, contact) -> {
            json.writeStartObject();
            json.writeNumberField("id", contact.id());
            json.writeStringField("name", contact.name());
            json.writeStringField("first_name", contact.firstName());
            json.writeStringField("last_name", contact.lastName());
            head(json, contact.responsibleUserId(), contact.groupId(), contact.createdBy(), contact.updatedBy(),
                    contact.createdAt(), contact.updatedAt());
            json.writeBooleanField("is_unsorted", false);
            tail(json, "contacts", contact.id(), contact.customFieldsJson(), baseUrl);
            LeadJson.tags(json, contact.tagIds(), answer.tags());
            Long company = answer.companies().get(contact.id());
            LeadJson.refs(json, "companies", company == null ? List.of() : List.of(company), baseUrl);
            if (answer.withLeads()) {
                LeadJson.refs(json, "leads", answer.leads().getOrDefault(contact.id(), List.of()), baseUrl);
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    static byte[] companiesPage(EntitiesAnswer<SimCompany> answer, String baseUrl, String selfQuery) {
        return page("companies", answer, baseUrl, selfQuery, (json, company) -> {
            json.writeStartObject();
            json.writeNumberField("id", company.id());
            json.writeStringField("name", company.name());
            head(json, company.responsibleUserId(), company.groupId(), company.createdBy(), company.updatedBy(),
                    company.createdAt(), company.updatedAt());
            tail(json, "companies", company.id(), company.customFieldsJson(), baseUrl);
            LeadJson.tags(json, company.tagIds(), answer.tags());
            if (answer.withLeads()) {
                LeadJson.refs(json, "leads", answer.leads().getOrDefault(company.id(), List.of()), baseUrl);
            }
            if (answer.withContacts()) {
                LeadJson.refs(json, "contacts", answer.contacts().getOrDefault(company.id(), List.of()), baseUrl);
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static <T extends SimEntity> byte[] page(String entity, EntitiesAnswer<T> answer, String baseUrl,
            String selfQuery, Item<T> item) {
        return LeadJson.render(json -> {
            json.writeStartObject();
            json.writeNumberField("_page", answer.page());
            json.writeObjectFieldStart("_links");
            LeadJson.link(json, "self", baseUrl + "/api/v4/" + entity + "?" + selfQuery);
            if (answer.hasNext()) {
                LeadJson.link(json, "next", baseUrl + "/api/v4/" + entity + "?page=" + (answer.page() + 1));
            }
            json.writeEndObject();
            json.writeObjectFieldStart("_embedded");
            json.writeArrayFieldStart(entity);
            for (T one : answer.items()) {
                item.write(json, one);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
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
