package dev.amocrmsync.simulator;

import java.util.List;

/** {@code GET /api/v4/leads} as the simulated account understands it; null fields were not sent. */
public record LeadsRequest(Long updatedFrom, Long updatedTo, List<Long> ids, String orderField, boolean descending,
        int page, int limit, boolean withContacts, boolean onlyDeleted, Long pipelineId, Long statusId) {

    public LeadsRequest(Long updatedFrom, Long updatedTo, List<Long> ids, String orderField, boolean descending,
            int page, int limit, boolean withContacts, boolean onlyDeleted) {
        this(updatedFrom, updatedTo, ids, orderField, descending, page, limit, withContacts, onlyDeleted, null, null);
    }

    /** The part every entity list shares. */
    ListQuery query() {
        return new ListQuery(updatedFrom, updatedTo, ids, orderField, descending, page, limit);
    }

    boolean matches(SimLead lead) {
        return (pipelineId == null || lead.pipelineId() == pipelineId) && (statusId == null || lead.statusId() == statusId);
    }
}
