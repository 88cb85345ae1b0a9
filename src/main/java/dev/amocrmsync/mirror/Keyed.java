package dev.amocrmsync.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An entity (lead, contact, company) reduced to what paging needs, its id and {@code updated_at}, read straight from
 * the raw JSON so even one that cannot be mapped still moves the cursor.
 */
public record Keyed(long id, long updatedAt, JsonNode raw) {

    /**
     * The entities of a page that have both keys, and those that have not (quarantined); what PostgreSQL cannot hold replaced.
     */
    public record Split(List<Keyed> keyed, List<JsonNode> unkeyed) {
    }

    public static Split split(List<JsonNode> items) {
        List<Keyed> keyed = new ArrayList<>(items.size());
        List<JsonNode> unkeyed = new ArrayList<>();
        for (JsonNode received : items) {
            JsonNode item = StorableText.of(received);
            Optional<Long> id = number(item.path("id"));
            Optional<Long> updatedAt = number(item.path("updated_at"));
            if (id.isPresent() && updatedAt.isPresent()) {
                keyed.add(new Keyed(id.get(), updatedAt.get(), item));
            } else {
                unkeyed.add(item);
            }
        }
        return new Split(keyed, unkeyed);
    }

    private static Optional<Long> number(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Optional.of(node.longValue());
        }
        if (node.isTextual() && node.textValue().strip().matches("\\d{1,18}")) {
            return Optional.of(Long.parseLong(node.textValue().strip()));
        }
        return Optional.empty();
    }
}
