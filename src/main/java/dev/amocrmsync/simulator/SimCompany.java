package dev.amocrmsync.simulator;

import java.util.List;

/** A company as the simulated account holds it, custom fields (phone, e-mail, web, address) pre-rendered as JSON. */
public record SimCompany(long id, String name, long responsibleUserId, long groupId, long createdBy, long updatedBy,
        long createdAt, long updatedAt, String customFieldsJson, List<Long> tagIds) implements SimEntity {

    public SimCompany {
        tagIds = List.copyOf(tagIds);
    }

    SimCompany stampedAt(long second) {
        return new SimCompany(id, name, responsibleUserId, groupId, createdBy, updatedBy, createdAt, second,
                customFieldsJson, tagIds);
    }

    SimCompany edited(String newName, String newCustomFields, long at) {
        return new SimCompany(id, newName, responsibleUserId, groupId, createdBy, 0, createdAt, at, newCustomFields,
                tagIds);
    }
}
