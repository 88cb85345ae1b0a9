package dev.amocrmsync.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/** Renders the simulated account's answers as the JSON amoCRM sends, streaming, without building trees. */
final class LeadJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private LeadJson() {
    }

    static byte[] leadsPage(LeadsAnswer answer, String baseUrl, String selfQuery) {
        return leadsPage(answer, baseUrl, selfQuery, id -> null);
    }

    static byte[] leadsPage(LeadsAnswer answer, String baseUrl, String selfQuery,
            java.util.function.LongFunction<String> verbatim) {
        return render(json -> {
            json.writeStartObject();
            json.writeNumberField("_page", answer.page());
            json.writeObjectFieldStart("_links");
            link(json, "self", baseUrl + "/api/v4/leads?" + selfQuery);
            if (answer.hasNext()) {
                link(json, "next", baseUrl + "/api/v4/leads?page=" + (answer.page() + 1));
            }
            json.writeEndObject();
            json.writeObjectFieldStart("_embedded");
            json.writeArrayFieldStart("leads");
            for (SimLead lead : answer.leads()) {
                String raw = verbatim.apply(lead.id());
                if (raw != null) {
                    json.writeRawValue(raw);
                } else {
                    lead(json, lead, answer.linksOf(lead.id()), answer.deleted(), answer.withContacts(), answer.tags(),
                            baseUrl);
                }
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** A page of the event log; {@code _links.next} on a full page, as on the other lists. */
    static byte[] events(List<SimEvent> events, int page, int size, String self, SimQuery query, long accountId) {
        return render(json -> {
            json.writeStartObject();
            json.writeNumberField("_page", page);
            json.writeObjectFieldStart("_links");
            link(json, "self", query.raw().isEmpty() ? self : self + "?" + query.raw());
            if (events.size() == size) {
                link(json, "next", self + "?" + query.withPage(page + 1));
            }
            json.writeEndObject();
            json.writeObjectFieldStart("_embedded");
            json.writeArrayFieldStart("events");
            for (SimEvent event : events) {
                json.writeStartObject();
                json.writeStringField("id", event.id());
                json.writeStringField("type", event.type());
                json.writeNumberField("entity_id", event.entityId());
                json.writeStringField("entity_type", event.entityType());
                json.writeNumberField("created_by", event.createdBy());
                json.writeNumberField("created_at", event.createdAt());
                eventValue(json, "value_after", event.after());
                eventValue(json, "value_before", event.before());
                json.writeNumberField("account_id", accountId);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void eventValue(JsonGenerator json, String field, EventValue value) throws IOException {
        json.writeArrayFieldStart(field);
        if (value instanceof EventValue.LeadStatus stage) {
            json.writeStartObject();
            json.writeObjectFieldStart("lead_status");
            json.writeNumberField("id", stage.statusId());
            json.writeNumberField("pipeline_id", stage.pipelineId());
            json.writeEndObject();
            json.writeEndObject();
        } else if (value instanceof EventValue.NoteRef note) {
            json.writeStartObject();
            json.writeObjectFieldStart("note");
            json.writeNumberField("id", note.noteId());
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** {@code GET /api/v4/leads/pipelines}: every pipeline with its stages, 142 and 143 in each. */
    static byte[] pipelines(List<Catalog.Pipeline> pipelines, long accountId, String baseUrl) {
        return render(json -> {
            json.writeStartObject();
            json.writeNumberField("_total_items", pipelines.size());
            json.writeObjectFieldStart("_links");
            link(json, "self", baseUrl + "/api/v4/leads/pipelines");
            json.writeEndObject();
            json.writeObjectFieldStart("_embedded");
            json.writeArrayFieldStart("pipelines");
            int sort = 1;
            for (Catalog.Pipeline pipeline : pipelines) {
                pipeline(json, pipeline, sort++, accountId, baseUrl);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** One pipeline with its stages, as {@code GET /api/v4/leads/pipelines/{id}} answers it. */
    static byte[] pipeline(Catalog.Pipeline pipeline, int sort, long accountId, String baseUrl) {
        return render(json -> pipeline(json, pipeline, sort, accountId, baseUrl));
    }

    private static void pipeline(JsonGenerator json, Catalog.Pipeline pipeline, int sort, long accountId,
            String baseUrl) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", pipeline.id());
        json.writeStringField("name", pipeline.name());
        json.writeNumberField("sort", sort);
        json.writeBooleanField("is_main", pipeline.main());
        json.writeBooleanField("is_unsorted_on", true);
        json.writeBooleanField("is_archive", false);
        json.writeNumberField("account_id", accountId);
        json.writeObjectFieldStart("_links");
        link(json, "self", baseUrl + "/api/v4/leads/pipelines/" + pipeline.id());
        json.writeEndObject();
        json.writeObjectFieldStart("_embedded");
        json.writeArrayFieldStart("statuses");
        for (Catalog.Status status : pipeline.statuses()) {
            json.writeStartObject();
            json.writeNumberField("id", status.id());
            json.writeStringField("name", status.name());
            json.writeNumberField("sort", status.sort());
            json.writeBooleanField("is_editable", status.id() != Catalog.WON && status.id() != Catalog.LOST);
            json.writeNumberField("pipeline_id", pipeline.id());
            json.writeStringField("color", status.color());
            json.writeNumberField("type", status.type());
            json.writeNumberField("account_id", accountId);
            json.writeObjectFieldStart("_links");
            link(json, "self", baseUrl + "/api/v4/leads/pipelines/" + pipeline.id() + "/statuses/" + status.id());
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
    }

    /** The first lead of a rendered page, as {@code GET /api/v4/leads/{id}} answers it. */
    static byte[] firstLead(byte[] page) {
        return first(page, "leads");
    }

    /** The first object of a rendered page of {@code entity}, as {@code GET /api/v4/{entity}/{id}} answers it. */
    static byte[] first(byte[] page, String entity) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            return json.writeValueAsBytes(json.readTree(page).path("_embedded").path(entity).path(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] problem(int status, String title, String detail, Integer retryAfter) {
        return render(json -> {
            json.writeStartObject();
            json.writeStringField("title", title);
            json.writeStringField("type", "https://httpstatus.es/" + status);
            json.writeNumberField("status", status);
            json.writeStringField("detail", detail);
            if (retryAfter != null) {
                json.writeNumberField("retry_after", retryAfter);
            }
            json.writeEndObject();
        });
    }

    private static void lead(JsonGenerator json, SimLead lead, LeadLinks links, boolean deleted, boolean withContacts,
            java.util.Map<Long, Catalog.Tag> tagCatalog, String baseUrl)
            throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", lead.id());
        json.writeStringField("name", lead.name());
        json.writeNumberField("price", lead.price());
        json.writeNumberField("responsible_user_id", lead.responsibleUserId());
        json.writeNumberField("group_id", 0);
        json.writeNumberField("status_id", lead.statusId());
        json.writeNumberField("pipeline_id", lead.pipelineId());
        nullable(json, "loss_reason_id", lead.lossReasonId());
        json.writeNumberField("created_by", lead.createdBy());
        json.writeNumberField("updated_by", lead.updatedBy());
        json.writeNumberField("created_at", lead.createdAt());
        json.writeNumberField("updated_at", lead.updatedAt());
        nullable(json, "closed_at", lead.closedAt());
        nullable(json, "closest_task_at", lead.closestTaskAt());
        json.writeBooleanField("is_deleted", deleted);
        json.writeFieldName("custom_fields_values");
        if (lead.customFieldsJson() == null) {
            json.writeNull();
        } else {
            json.writeRawValue(lead.customFieldsJson());
        }
        json.writeNullField("score");
        json.writeNumberField("account_id", Catalog.ACCOUNT_ID);
        json.writeNumberField("labor_cost", 0);
        json.writeObjectFieldStart("_links");
        link(json, "self", baseUrl + "/api/v4/leads/" + lead.id());
        json.writeEndObject();
        json.writeObjectFieldStart("_embedded");
        tags(json, lead.tagIds(), tagCatalog);
        refs(json, "companies", links.companyId() == null ? java.util.List.of() : java.util.List.of(links.companyId()),
                baseUrl);
        if (withContacts) {
            json.writeArrayFieldStart("contacts");
            for (long contactId : links.contactIds()) {
                json.writeStartObject();
                json.writeNumberField("id", contactId);
                json.writeBooleanField("is_main", links.mainContactId() != null && links.mainContactId() == contactId);
                json.writeObjectFieldStart("_links");
                link(json, "self", baseUrl + "/api/v4/contacts/" + contactId);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    /**
     * {@code _embedded.tags}: {@code {id, name, color}} from the entity type's tag catalog now; a tag removed from the
     * catalog no longer shows.
     */
    static void tags(JsonGenerator json, List<Long> tagIds, java.util.Map<Long, Catalog.Tag> catalog)
            throws IOException {
        json.writeArrayFieldStart("tags");
        for (long tagId : tagIds) {
            Catalog.Tag tag = catalog.get(tagId);
            if (tag == null) {
                continue;
            }
            json.writeStartObject();
            json.writeNumberField("id", tag.id());
            json.writeStringField("name", tag.name());
            json.writeStringField("color", tag.color());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** An embedded list of references, {@code [{id, _links: {self}}]}, e.g. {@code _embedded.companies}. */
    static void refs(JsonGenerator json, String entity, List<Long> ids, String baseUrl) throws IOException {
        json.writeArrayFieldStart(entity);
        for (long id : ids) {
            json.writeStartObject();
            json.writeNumberField("id", id);
            json.writeObjectFieldStart("_links");
            link(json, "self", baseUrl + "/api/v4/" + entity + "/" + id);
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    static void link(JsonGenerator json, String rel, String href) throws IOException {
        json.writeObjectFieldStart(rel);
        json.writeStringField("href", href);
        json.writeEndObject();
    }

    static void nullable(JsonGenerator json, String field, Long value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    /** What a page writes; {@link #render} turns it into bytes. Shared with {@link CatalogJson}. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    static byte[] render(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
