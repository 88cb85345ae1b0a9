package dev.amocrmsync.companies;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A company as one row of {@code amocrm_companies}; times in unix seconds. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompanyRow(long amocrmCompanyId, String name, Long responsibleUserId, Long groupId, Long createdBy,
        Long updatedBy, Long createdAt, long updatedAt, Long closestTaskAt, List<String> phones, List<String> emails,
        JsonNode customFields, JsonNode metadata) {
}
