package dev.amocrmsync.simulator;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

/** Renders tasks and notes as amoCRM sends them, streaming. */
final class WorkJson {

    private WorkJson() {
    }

    /** A task: {@code result} is {@code []} until one is written, as PHP serializes an empty array. */
    static void task(JsonGenerator json, SimTask task, long accountId, String baseUrl) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", task.id());
        json.writeNumberField("created_by", task.createdBy());
        json.writeNumberField("updated_by", task.updatedBy());
        json.writeNumberField("created_at", task.createdAt());
        json.writeNumberField("updated_at", task.updatedAt());
        json.writeNumberField("responsible_user_id", task.responsibleUserId());
        json.writeNumberField("group_id", task.groupId());
        LeadJson.nullable(json, "entity_id", task.entityId());
        if (task.entityType() == null) {
            json.writeNullField("entity_type");
        } else {
            json.writeStringField("entity_type", task.entityType());
        }
        json.writeNumberField("duration", task.duration());
        json.writeBooleanField("is_completed", task.isCompleted());
        json.writeNumberField("task_type_id", task.taskTypeId());
        json.writeStringField("text", task.text());
        if (task.resultText() == null) {
            json.writeArrayFieldStart("result");
            json.writeEndArray();
        } else {
            json.writeObjectFieldStart("result");
            json.writeStringField("text", task.resultText());
            json.writeEndObject();
        }
        json.writeNumberField("complete_till", task.completeTill());
        json.writeNumberField("account_id", accountId);
        json.writeObjectFieldStart("_links");
        LeadJson.link(json, "self", baseUrl + "/api/v4/tasks/" + task.id());
        json.writeEndObject();
        json.writeEndObject();
    }

    /** A note: no {@code entity_type} (the URL says it), its self link under its parent. */
    static void note(JsonGenerator json, SimNote note, long accountId, String baseUrl) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", note.id());
        json.writeNumberField("entity_id", note.entityId());
        json.writeNumberField("created_by", note.createdBy());
        json.writeNumberField("updated_by", note.updatedBy());
        json.writeNumberField("created_at", note.createdAt());
        json.writeNumberField("updated_at", note.updatedAt());
        json.writeNumberField("responsible_user_id", note.responsibleUserId());
        json.writeNumberField("group_id", note.groupId());
        json.writeStringField("note_type", note.noteType());
        json.writeFieldName("params");
        json.writeRawValue(note.paramsJson());
        json.writeNumberField("account_id", accountId);
        json.writeBooleanField("is_pinned", note.isPinned());
        json.writeObjectFieldStart("_links");
        LeadJson.link(json, "self",
                baseUrl + "/api/v4/" + note.entityType() + "/" + note.entityId() + "/notes/" + note.id());
        json.writeEndObject();
        json.writeEndObject();
    }
}
