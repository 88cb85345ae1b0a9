package dev.amocrmsync.leads;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The names amoCRM shows for a status of a pipeline; 142 and 143 exist in every pipeline, so the pair is the key. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusLabel(long pipelineId, long statusId, String pipelineName, String statusName) {
}
