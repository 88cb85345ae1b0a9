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
}
