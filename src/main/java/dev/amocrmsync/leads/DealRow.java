package dev.amocrmsync.leads;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A lead as one row of {@code amocrm_deals}. Times are unix seconds, as amoCRM sends them; the upsert turns them into
 * timestamptz. Serialized to JSON to upsert a whole page with one bound parameter.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DealRow(String amocrmDealId, String name, BigDecimal price, Long statusId, String statusLabel,
        Long pipelineId, String pipelineName, Long responsibleUserId, Long lossReasonId, Long createdBy,
        Long updatedBy, Long createdAt, long updatedAt, Long closedAt, Long closestTaskAt, JsonNode customFields,
        JsonNode metadata) {
}
