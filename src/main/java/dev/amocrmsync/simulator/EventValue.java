package dev.amocrmsync.simulator;

/** One entry of an event's {@code value_before} or {@code value_after}. */
public sealed interface EventValue {

    /** {@code {"lead_status": {"id": statusId, "pipeline_id": pipelineId}}}: a stage, named by both ids. */
    record LeadStatus(long statusId, long pipelineId) implements EventValue {
    }

    /** {@code {"note": {"id": noteId}}}: the note an event is about. */
    record NoteRef(long noteId) implements EventValue {
    }
}
