package dev.amocrmsync.history;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.EventLog;
import dev.amocrmsync.mirror.Mirrored;
import dev.amocrmsync.mirror.Table;

/**
 * How deals move through the funnel: every {@code lead_status_changed} event of amoCRM's log, mirrored into
 * {@code amocrm_deal_status_history}, read by {@code created_at} with the same care as the deletion events (in the same
 * scan of the log). A first sync reads the look-back, {@code --full} all the history amoCRM keeps; events never change,
 * so a row once written is final, and a repeated read writes nothing.
 */
@ApplicationScoped
public class StatusHistory implements Mirrored {

    static final String MOVED = "lead_status_changed";

    private final Entity<StatusChange> entity = Entity.<StatusChange> named("status_history", "status change", 60)
            .rowsCalled("status changes")
            .events(new EventLog<>(List.of(MOVED), StatusHistory::row))
            .table(Table.namedWithTextId("amocrm_deal_status_history", "amocrm_event_id", StatusChange::amocrmEventId)
                    .columns("amocrm_deal_id text", "pipeline_id_before bigint", "status_id_before bigint",
                            "pipeline_id_after bigint", "status_id_after bigint", "changed_by bigint")
                    .times("changed_at")
                    .build())
            .build();

    @Override
    public Entity<StatusChange> entity() {
        return entity;
    }

    /** The move an event tells, empty when it names no deal or no id to key it by. */
    static Optional<StatusChange> row(EventsPage.Event event) {
        if (event.id() == null || event.entityId() == null || event.createdAt() == null
                || !"lead".equals(event.entityType())) {
            return Optional.empty();
        }
        JsonNode before = stage(event.valueBefore());
        JsonNode after = stage(event.valueAfter());
        return Optional.of(new StatusChange(event.id(), Long.toString(event.entityId()), id(before, "pipeline_id"),
                id(before, "id"), id(after, "pipeline_id"), id(after, "id"), event.createdBy(), event.createdAt(),
                event.createdAt()));
    }

    /** {@code [{"lead_status": {"id": 142, "pipeline_id": 7}}]}: the stage, or a missing node. */
    private static JsonNode stage(JsonNode values) {
        if (values == null) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        JsonNode first = values.isArray() ? values.path(0) : values;
        return first.path("lead_status");
    }

    private static Long id(JsonNode stage, String field) {
        JsonNode value = stage.path(field);
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        return value.isTextual() && value.textValue().matches("\\d{1,18}") ? Long.valueOf(value.textValue()) : null;
    }
}
