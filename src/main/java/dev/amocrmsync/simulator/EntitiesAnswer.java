package dev.amocrmsync.simulator;

import java.util.List;
import java.util.Map;

/**
 * One page of contacts or companies, with the links the API embeds in them already resolved to what is live:
 * {@code companies} (a contact's company), {@code leads} ({@code with=leads}), {@code contacts} ({@code with=contacts}
 * on companies). {@code tags} is the entity type's tag catalog now, by id.
 */
record EntitiesAnswer<T extends SimEntity>(List<T> items, Map<Long, Long> companies, Map<Long, List<Long>> leads,
        Map<Long, List<Long>> contacts, boolean withLeads, boolean withContacts, Map<Long, Catalog.Tag> tags) {
}
