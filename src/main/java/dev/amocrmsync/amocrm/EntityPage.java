package dev.amocrmsync.amocrm;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One page of an entity list. The entities stay raw JSON here and are read one by one later, so a single odd one is
 * quarantined instead of spoiling the whole page. {@code _embedded} is keyed by the entity's name.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record EntityPage(@JsonProperty("_page") Integer page, @JsonProperty("_links") Links links,
        @JsonProperty("_embedded") Map<String, JsonNode> embedded) {

    /** What a 204 (nothing matched, or a page past the end) stands for. */
    public static final EntityPage EMPTY = new EntityPage(null, null, null);

    /** The page's entities of this kind ({@code leads}, {@code contacts}, ...), in the order received. */
    public List<JsonNode> items(String entity) {
        JsonNode items = embedded == null ? null : embedded.get(entity);
        if (items == null || !items.isArray()) {
            return List.of();
        }
        return java.util.stream.StreamSupport.stream(items.spliterator(), false).toList();
    }
}
