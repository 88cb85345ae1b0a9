package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One contact as API v4 returns it; custom field values stay raw JSON, as for leads. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Contact(Long id, String name, String firstName, String lastName, Long responsibleUserId, Long groupId,
        Long createdBy, Long updatedBy, Long createdAt, Long updatedAt, Long closestTaskAt,
        JsonNode customFieldsValues, Long accountId, @JsonProperty("_embedded") Embedded embedded) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(List<Lead.Tag> tags, List<Lead.CompanyRef> companies, List<Lead.CompanyRef> leads) {
    }

    public List<Lead.Tag> tags() {
        return embedded == null || embedded.tags() == null ? List.of() : embedded.tags();
    }

    /** The deals it is linked to ({@code with=leads}), as references by id. */
    public List<Lead.CompanyRef> leads() {
        return embedded == null || embedded.leads() == null ? List.of() : embedded.leads();
    }

    public List<Lead.CompanyRef> companies() {
        return embedded == null || embedded.companies() == null ? List.of() : embedded.companies();
    }
}
