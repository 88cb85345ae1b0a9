package dev.amocrmsync.simulator;

import java.util.List;
import java.util.Map;

/**
 * One page of leads; {@code hasNext} mirrors the API's {@code _links.next}, present on every full page. {@code links}
 * holds each lead's contacts and company as the API shows them (deleted ones hidden); a lead missing there shows none.
 */
public record LeadsAnswer(List<SimLead> leads, boolean deleted, boolean withContacts, boolean hasNext, int page,
        Map<Long, LeadLinks> links) {

    LeadLinks linksOf(long leadId) {
        return links.getOrDefault(leadId, LeadLinks.NONE);
    }
}
