package dev.amocrmsync.simulator;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.amocrm.EntityQuery;
import dev.amocrmsync.amocrm.EventsPage;

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
        StringBuilder params = new StringBuilder("page=" + query.page() + "&limit=" + query.limit());
        if (query.updatedFrom() != null) {
            params.append("&filter[updated_at][from]=").append(query.updatedFrom());
        }
        if (query.updatedTo() != null) {
            params.append("&filter[updated_at][to]=").append(query.updatedTo());
        }
        if (query.ids() != null) {
            query.ids().forEach(id -> params.append("&filter[id][]=").append(id));
        }
        if (query.orderField() != null) {
            params.append("&order[").append(query.orderField()).append("]=")
                    .append(query.descending() ? "desc" : "asc");
        }
        if (!with.isEmpty()) {
            params.append("&with=").append(String.join(",", with));
        }
        return page(account, "/api/v4/" + entity, params.toString());
    }

    /**
     * One page of any registered list ({@code /api/v4/tasks}, {@code /api/v4/leads/notes}...) for this query string,
     * as raw JSON in the order amoCRM would send it (empty for a 204); the list's request listeners run first.
     */
    public static List<JsonNode> page(SimulatedAccount account, String path, String query) {
        SimList<?> list = SimLists.at(path);
        SimAnswer answer = list.page(account, SimQuery.parse(path, query, java.util.Map.of()), "http://simulated",
                false);
        if (answer.status() == 204) {
            return List.of();
        }
        if (answer.status() != 200) {
            throw new IllegalArgumentException(path + "?" + query + " answers " + answer.status());
        }
        try {
            List<JsonNode> items = new java.util.ArrayList<>();
            JSON.readTree(answer.body()).path("_embedded").path(list.key()).forEach(items::add);
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
