package dev.amocrmsync.simulator;

import java.util.List;

/**
 * A lead's links as the API shows them now: its live contacts (the main one first, when it is live) and its company
 * unless that is deleted. {@code mainContactId} is null when the lead has no main contact in sight.
 */
public record LeadLinks(List<Long> contactIds, Long mainContactId, Long companyId) {

    public LeadLinks {
        contactIds = List.copyOf(contactIds);
    }

    static final LeadLinks NONE = new LeadLinks(List.of(), null, null);
}
