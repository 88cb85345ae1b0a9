package dev.amocrmsync.simulator;

import java.util.List;

/**
 * A lead as the simulated account holds it. Custom field values are kept pre-rendered as the JSON the API would send
 * ({@code null} when the lead has none), which keeps 100,000 leads in little memory.
 */
public record SimLead(long id, String name, long price, long responsibleUserId, long statusId, long pipelineId,
        Long lossReasonId, long createdBy, long updatedBy, long createdAt, long updatedAt, Long closedAt,
        Long closestTaskAt, String customFieldsJson, List<Long> contactIds, Long companyId, List<Long> tagIds)
        implements
            SimEntity {

    public SimLead {
        contactIds = List.copyOf(contactIds);
        tagIds = List.copyOf(tagIds);
    }

    SimLead edited(String newName, long newPrice, long newStatusId, Long newClosedAt, String newCustomFields,
            long at) {
        return new SimLead(id, newName, newPrice, responsibleUserId, newStatusId, pipelineId, lossReasonId,
                createdBy, 0, createdAt, at, newClosedAt, closestTaskAt, newCustomFields, contactIds, companyId,
                tagIds);
    }

    SimLead stampedAt(long second) {
        return new SimLead(id, name, price, responsibleUserId, statusId, pipelineId, lossReasonId, createdBy,
                updatedBy, createdAt, second, closedAt, closestTaskAt, customFieldsJson, contactIds, companyId, tagIds);
    }

    SimLead withCustomFields(String json) {
        return new SimLead(id, name, price, responsibleUserId, statusId, pipelineId, lossReasonId, createdBy,
                updatedBy, createdAt, updatedAt, closedAt, closestTaskAt, json, contactIds, companyId, tagIds);
    }

    SimLead withName(String newName) {
        return new SimLead(id, newName, price, responsibleUserId, statusId, pipelineId, lossReasonId, createdBy,
                updatedBy, createdAt, updatedAt, closedAt, closestTaskAt, customFieldsJson, contactIds, companyId,
                tagIds);
    }

    /** The lead moved to another stage at {@code at} by {@code by} (0: a robot). */
    SimLead movedTo(long newPipelineId, long newStatusId, Long newClosedAt, Long newLossReasonId, long at, long by) {
        return new SimLead(id, name, price, responsibleUserId, newStatusId, newPipelineId, newLossReasonId, createdBy,
                by, createdAt, at, newClosedAt, closestTaskAt, customFieldsJson, contactIds, companyId, tagIds);
    }

    SimLead withLossReason(Long reason) {
        return new SimLead(id, name, price, responsibleUserId, statusId, pipelineId, reason, createdBy, updatedBy,
                createdAt, updatedAt, closedAt, closestTaskAt, customFieldsJson, contactIds, companyId, tagIds);
    }

    /** The same lead linked to these contacts (the first is the main one) and this company. */
    SimLead withLinks(List<Long> contacts, Long company) {
        return new SimLead(id, name, price, responsibleUserId, statusId, pipelineId, lossReasonId, createdBy,
                updatedBy, createdAt, updatedAt, closedAt, closestTaskAt, customFieldsJson, contacts, company, tagIds);
    }
}
