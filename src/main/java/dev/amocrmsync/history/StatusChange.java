package dev.amocrmsync.history;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One move of a deal between stages, as one row of {@code amocrm_deal_status_history}: the stage it left and the stage
 * it entered, each labelled by its pipeline (statuses 142 and 143 repeat in every pipeline), when (unix seconds,
 * amoCRM's clock; {@code updatedAt} too, as an event never changes) and by whom (0: a robot or the API).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusChange(String amocrmEventId, String amocrmDealId, Long pipelineIdBefore, Long statusIdBefore,
        Long pipelineIdAfter, Long statusIdAfter, Long changedBy, long changedAt, long updatedAt) {
}
