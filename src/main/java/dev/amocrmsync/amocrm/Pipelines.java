package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /api/v4/leads/pipelines}: every pipeline with its statuses. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pipelines(@JsonProperty("_embedded") Embedded embedded) {

    public static final Pipelines NONE = new Pipelines(null);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(List<Pipeline> pipelines) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pipeline(long id, String name, Integer sort, Boolean isMain, Boolean isUnsortedOn, Boolean isArchive,
            @JsonProperty("_embedded") Statuses embedded) {

        public List<Status> statuses() {
            return embedded == null || embedded.statuses() == null ? List.of() : embedded.statuses();
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Statuses(List<Status> statuses) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Status(long id, String name, Long pipelineId, Integer type, Integer sort, String color,
            Boolean isEditable) {
    }

    public List<Pipeline> pipelines() {
        return embedded == null || embedded.pipelines() == null ? List.of() : embedded.pipelines();
    }
}
