package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /api/v4/{entity}/custom_fields}: a page of an entity's custom-field catalog; empty for a 204. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record CustomFieldsPage(@JsonProperty("_embedded") Embedded embedded) {

    public static final CustomFieldsPage EMPTY = new CustomFieldsPage(null);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Embedded(List<Field> customFields) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Field(long id, String name, String type, String code, Integer sort, Boolean isApiOnly,
            List<Enum> enums) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Enum(long id, String value, Integer sort) {
    }

    public List<Field> fields() {
        return embedded == null || embedded.customFields() == null ? List.of() : embedded.customFields();
    }
}
