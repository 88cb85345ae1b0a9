package dev.amocrmsync.contacts;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A contact as one row of {@code amocrm_contacts}; times in unix seconds. {@code metadata.company_ids} links it. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ContactRow(long amocrmContactId, String name, String firstName, String lastName, Long responsibleUserId,
        Long groupId, Long createdBy, Long updatedBy, Long createdAt, long updatedAt, Long closestTaskAt,
        List<String> phones, List<String> emails, JsonNode customFields, JsonNode metadata) {
}
