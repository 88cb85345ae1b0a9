package dev.amocrmsync.simulator;

import java.util.List;
import java.util.Map;

/**
 * One page of leads; {@code hasNext} mirrors the API's {@code _links.next}, present on every full page. {@code links}
 * holds each lead's contacts and company as the API shows them (deleted ones hidden); a lead missing there shows none.
 * {@code tags} is the leads' tag catalog now, by id: a tag no longer there no longer shows.
 */
public record LeadsAnswer(List<SimLead> leads, boolean deleted, boolean withContacts, boolean hasNext, int page,
        Map<Long, LeadLinks> links, Map<Long, Catalog.Tag> tags) {

    LeadLinks linksOf(long leadId) {
        return links.getOrDefault(leadId, LeadLinks.NONE);
    }
}
