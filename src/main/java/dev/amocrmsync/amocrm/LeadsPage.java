package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One page of {@code GET /api/v4/leads}. Leads stay raw JSON here and are read one by one later, so a single odd lead
 * is quarantined instead of spoiling the whole page.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeadsPage(@JsonProperty("_page") Integer page, @JsonProperty("_links") Links links,
        @JsonProperty("_embedded") Embedded embedded) {

    /** What a 204 (nothing matched, or a page past the end) stands for. */
    public static final LeadsPage EMPTY = new LeadsPage(null, null, null);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(List<JsonNode> leads) {
    }

    public List<JsonNode> leads() {
        return embedded == null || embedded.leads() == null ? List.of() : embedded.leads();
    }

    public boolean isEmpty() {
        return leads().isEmpty();
    }
}
