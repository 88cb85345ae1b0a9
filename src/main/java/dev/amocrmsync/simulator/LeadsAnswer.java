package dev.amocrmsync.simulator;

import java.util.List;

/** One page of leads; {@code hasNext} mirrors the API's {@code _links.next}, present on every full page. */
public record LeadsAnswer(List<SimLead> leads, boolean deleted, boolean withContacts, boolean hasNext, int page) {
}
