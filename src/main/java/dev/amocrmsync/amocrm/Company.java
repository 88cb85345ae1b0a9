package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One company as API v4 returns it; custom field values stay raw JSON, as for leads. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Company(Long id, String name, Long responsibleUserId, Long groupId, Long createdBy, Long updatedBy,
        Long createdAt, Long updatedAt, Long closestTaskAt, JsonNode customFieldsValues, Long accountId,
        @JsonProperty("_embedded") Embedded embedded) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(List<Lead.Tag> tags, List<Lead.CompanyRef> leads, List<Lead.CompanyRef> contacts) {
    }

    /** The deals linked to it ({@code with=leads}), as references by id. */
    public List<Lead.CompanyRef> leads() {
        return embedded == null || embedded.leads() == null ? List.of() : embedded.leads();
    }

    /** The contacts linked to it ({@code with=contacts}), as references by id. */
    public List<Lead.CompanyRef> contacts() {
        return embedded == null || embedded.contacts() == null ? List.of() : embedded.contacts();
    }

    public List<Lead.Tag> tags() {
        return embedded == null || embedded.tags() == null ? List.of() : embedded.tags();
    }
}
