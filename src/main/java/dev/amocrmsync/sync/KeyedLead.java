package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A lead reduced to what paging needs, its id and {@code updated_at}, read straight from the raw JSON so even a lead
 * that cannot be mapped still moves the cursor.
 */
record KeyedLead(long id, long updatedAt, JsonNode raw) {

    /** The leads of a page that have both keys, and those that have not (quarantined); NUL characters replaced. */
    record Split(List<KeyedLead> keyed, List<JsonNode> unkeyed) {
    }

    static Split split(List<JsonNode> leads) {
        List<KeyedLead> keyed = new ArrayList<>(leads.size());
        List<JsonNode> unkeyed = new ArrayList<>();
        for (JsonNode received : leads) {
            JsonNode lead = NulFree.of(received);
            Optional<Long> id = number(lead.path("id"));
            Optional<Long> updatedAt = number(lead.path("updated_at"));
            if (id.isPresent() && updatedAt.isPresent()) {
                keyed.add(new KeyedLead(id.get(), updatedAt.get(), lead));
            } else {
                unkeyed.add(lead);
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
