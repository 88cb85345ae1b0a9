package dev.amocrmsync.amocrm;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One lead as API v4 returns it. Every field but {@code id} and {@code updated_at} may be missing or null; custom field
 * values stay raw JSON because their types differ by field type and by account.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Lead(Long id, String name, BigDecimal price, Long responsibleUserId, Long groupId, Long statusId,
        Long pipelineId, Long lossReasonId, Long createdBy, Long updatedBy, Long createdAt, Long updatedAt,
        Long closedAt, Long closestTaskAt, Boolean isDeleted, JsonNode customFieldsValues, Integer score,
        Long accountId, Long laborCost, @JsonProperty("_embedded") Embedded embedded) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(List<Tag> tags, List<ContactRef> contacts, List<CompanyRef> companies) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tag(Long id, String name, String color) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ContactRef(Long id, Boolean isMain) {
    }

    /** A reference to another entity by id (a company, or a contact's or company's deals and contacts). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompanyRef(Long id) {
    }

    public List<Tag> tags() {
        return embedded == null || embedded.tags() == null ? List.of() : embedded.tags();
    }

    public List<ContactRef> contacts() {
        return embedded == null || embedded.contacts() == null ? List.of() : embedded.contacts();
    }

    public List<CompanyRef> companies() {
        return embedded == null || embedded.companies() == null ? List.of() : embedded.companies();
    }
}
