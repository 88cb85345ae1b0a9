package dev.amocrmsync.simulator;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.amocrm.EventsPage;
import dev.amocrmsync.amocrm.EntityQuery;

/** Asks a simulated account directly, without HTTP, what the API would answer: for tests of the paging logic. */
public final class AccountAccess {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccountAccess() {
    }

    /** The deletion events amoCRM would answer to this query, in the order it would send them. */
    public static List<EventsPage.Event> events(SimulatedAccount account, long from, long to, int page, int limit) {
        account.beforeEventsRequest();
        return account.events(java.util.Set.of("lead_deleted", "lead_restored"), from, to, page, limit).stream()
                .map(event -> new EventsPage.Event(event.id(), event.type(), event.entityId(), "lead", event.createdAt()))
                .toList();
    }

    /** The leads amoCRM would answer to this query, as raw JSON, in the order it would send them. */
    public static List<JsonNode> answer(SimulatedAccount account, EntityQuery query) {
        LeadsRequest request = new LeadsRequest(query.updatedFrom(), query.updatedTo(), query.ids(),
                query.orderField(), query.descending(), query.page(), query.limit(), true, "only_deleted".equals(query.with()));
        account.beforeLeadsRequest(request);
        LeadsAnswer answer = account.leads(request);
        byte[] body = LeadJson.leadsPage(answer, "http://simulated", "");
        try {
            JsonNode leads = JSON.readTree(body).path("_embedded").path("leads");
            return leads.isArray() ? List.copyOf(JSON.convertValue(leads, JsonNode[].class) == null ? List.of()
                    : List.of(JSON.convertValue(leads, JsonNode[].class))) : List.of();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The contacts or companies ({@code entity}) amoCRM would answer to this query, as raw JSON, in the order it would
     * send them; the request listeners run first, as over HTTP.
     */
    public static List<JsonNode> answer(SimulatedAccount account, String entity, ListQuery query,
            java.util.Set<String> with) {
        byte[] body = switch (entity) {
            case "contacts" -> {
                account.beforeContactsRequest(query);
                yield PartyJson.contactsPage(account.contacts(query, with), "http://simulated", "");
            }
            case "companies" -> {
                account.beforeCompaniesRequest(query);
                yield PartyJson.companiesPage(account.companies(query, with), "http://simulated", "");
            }
            default -> throw new IllegalArgumentException("no list of " + entity);
        };
        try {
            List<JsonNode> items = new java.util.ArrayList<>();
            JSON.readTree(body).path("_embedded").path(entity).forEach(items::add);
            return items;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletion and restoration events of these entity types ({@code lead}, {@code contact}, {@code company}). */
    public static List<EventsPage.Event> events(SimulatedAccount account, java.util.Set<String> entities, long from,
            long to, int page, int limit) {
        account.beforeEventsRequest();
        java.util.Set<String> types = new java.util.HashSet<>();
        entities.forEach(entity -> types.addAll(List.of(entity + "_deleted", entity + "_restored")));
        return account.events(types, entities, from, to, false, page, limit).stream()
                .map(event -> new EventsPage.Event(event.id(), event.type(), event.entityId(), event.entityType(),
                        event.createdAt()))
                .toList();
    }
}
