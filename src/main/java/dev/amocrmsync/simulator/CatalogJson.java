package dev.amocrmsync.simulator;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;

/** Pages of the users and custom-field catalogs as amoCRM renders them; {@code null} past the end (a 204). */
final class CatalogJson {

    private CatalogJson() {
    }

    static byte[] users(List<SimCatalogs.User> all, int page, int limit, String baseUrl) {
        List<SimCatalogs.User> slice = slice(all, page, limit);
        if (slice.isEmpty()) {
            return null;
        }
        return LeadJson.render(json -> {
            head(json, all.size(), page, limit, baseUrl + "/api/v4/users");
            json.writeArrayFieldStart("users");
            for (SimCatalogs.User user : slice) {
                json.writeStartObject();
                json.writeNumberField("id", user.id());
                json.writeStringField("name", user.name());
                json.writeStringField("email", user.email());
                json.writeStringField("lang", user.lang());
                json.writeObjectFieldStart("rights");
                json.writeObjectFieldStart("leads");
                json.writeStringField("view", "A");
                json.writeStringField("edit", "A");
                json.writeEndObject();
                json.writeBooleanField("is_admin", user.admin());
                json.writeBooleanField("is_free", false);
                json.writeBooleanField("is_active", user.active());
                json.writeNullField("group_id");
                json.writeNullField("role_id");
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** A page of {@code entity}'s ({@code leads}, {@code contacts}, {@code companies}) custom-field catalog. */
    static byte[] fields(String entity, List<SimCatalogs.Field> all, int page, int limit, String baseUrl) {
        List<SimCatalogs.Field> slice = slice(all, page, limit);
        if (slice.isEmpty()) {
            return null;
        }
        return LeadJson.render(json -> {
            head(json, all.size(), page, limit, baseUrl + "/api/v4/" + entity + "/custom_fields");
            json.writeArrayFieldStart("custom_fields");
            for (SimCatalogs.Field field : slice) {
                json.writeStartObject();
                json.writeNumberField("id", field.id());
                json.writeStringField("name", field.name());
                json.writeStringField("type", field.type());
                json.writeStringField("code", field.code());
                json.writeNumberField("sort", field.sort());
                json.writeBooleanField("is_api_only", field.apiOnly());
                json.writeStringField("entity_type", entity);
                json.writeFieldName("enums");
                if (field.enums() == null) {
                    json.writeNull();
                } else {
                    json.writeStartArray();
                    for (SimCatalogs.Enum option : field.enums()) {
                        json.writeStartObject();
                        json.writeNumberField("id", option.id());
                        json.writeStringField("value", option.value());
                        json.writeNumberField("sort", option.sort());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                }
                json.writeNumberField("account_id", Catalog.ACCOUNT_ID);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static <T> List<T> slice(List<T> all, int page, int limit) {
        int from = (page - 1) * limit;
        return page < 1 || from >= all.size() ? List.of() : all.subList(from, Math.min(all.size(), from + limit));
    }

    private static void head(JsonGenerator json, int total, int page, int limit, String self) throws IOException {
        json.writeStartObject();
        json.writeNumberField("_total_items", total);
        json.writeNumberField("_page", page);
        json.writeNumberField("_page_count", (total + limit - 1) / limit);
        json.writeObjectFieldStart("_links");
        json.writeObjectFieldStart("self");
        json.writeStringField("href", self + "?page=" + page + "&limit=" + limit);
        json.writeEndObject();
        if ((long) page * limit < total) {
            json.writeObjectFieldStart("next");
            json.writeStringField("href", self + "?page=" + (page + 1) + "&limit=" + limit);
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeObjectFieldStart("_embedded");
    }
}
