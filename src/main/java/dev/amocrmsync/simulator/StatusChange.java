package dev.amocrmsync.simulator;

/**
 * One move of a lead between stages as the event log holds it ({@code lead_status_changed}): the row
 * {@code amocrm_deal_status_history} should have for it. {@code changedBy} 0 is a robot or the API.
 */
public record StatusChange(String eventId, long leadId, long pipelineBefore, long statusBefore, long pipelineAfter,
        long statusAfter, long changedAt, long changedBy) {
}
