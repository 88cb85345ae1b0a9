package dev.amocrmsync.simulator;

import java.util.List;

/**
 * A contact as the simulated account holds it: custom fields (phones and e-mails among them) pre-rendered as the JSON
 * the API sends ({@code null} when none are filled), at most one company. {@code companyId} is the stored link; the
 * API hides it while that company is deleted.
 */
public record SimContact(long id, String name, String firstName, String lastName, long responsibleUserId,
        long groupId, long createdBy, long updatedBy, long createdAt, long updatedAt, String customFieldsJson,
        Long companyId, List<Long> tagIds) implements SimEntity {

    public SimContact {
        tagIds = List.copyOf(tagIds);
    }

    SimContact stampedAt(long second) {
        return new SimContact(id, name, firstName, lastName, responsibleUserId, groupId, createdBy, updatedBy,
                createdAt, second, customFieldsJson, companyId, tagIds);
    }

    SimContact withCompany(Long company) {
        return new SimContact(id, name, firstName, lastName, responsibleUserId, groupId, createdBy, updatedBy,
                createdAt, updatedAt, customFieldsJson, company, tagIds);
    }

    SimContact edited(String newName, String newFirstName, String newLastName, String newCustomFields, long at) {
        return new SimContact(id, newName, newFirstName, newLastName, responsibleUserId, groupId, createdBy, 0,
                createdAt, at, newCustomFields, companyId, tagIds);
    }
}
