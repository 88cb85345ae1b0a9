package dev.amocrmsync.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every live lead of an account as the API renders it, oldest update first: test data for whoever needs leads. */
public final class AccountJson {

    private AccountJson() {
    }

    public static List<JsonNode> leads(SimulatedAccount account, ObjectMapper json) {
        List<JsonNode> leads = new ArrayList<>();
        for (int page = 1;; page++) {
            LeadsAnswer answer = account.leads(new LeadsRequest(null, null, null, "updated_at", false, page, 250, true, false));
            try {
                json.readTree(LeadJson.leadsPage(answer, "http://simulated", "")).path("_embedded").path("leads")
                        .forEach(leads::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!answer.hasNext()) {
                return leads;
            }
        }
    }

    /** Every live contact of an account as the API renders it (with {@code with=leads}), oldest update first. */
    public static List<JsonNode> contacts(SimulatedAccount account, ObjectMapper json) {
        return list(account, "/api/v4/contacts", "order[updated_at]=asc&with=leads", json);
    }

    /** Every live company of an account as the API renders it (with {@code with=leads,contacts}), oldest update first. */
    public static List<JsonNode> companies(SimulatedAccount account, ObjectMapper json) {
        return list(account, "/api/v4/companies", "order[updated_at]=asc&with=leads,contacts", json);
    }

    /**
     * Every item of a registered list ({@code /api/v4/tasks}, {@code /api/v4/leads/notes}, {@code /api/v4/leads/tags}...)
     * as the API renders it for this query (no {@code page} or {@code limit}: they are added), paged by number until
     * 204 with the list's request listeners running, as over HTTP. Only meaningful on an account nobody changes meanwhile.
     */
    public static List<JsonNode> list(SimulatedAccount account, String path, String query, ObjectMapper json) {
        SimList<?> list = SimLists.at(path);
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1;; page++) {
            SimAnswer answer = list.page(account, SimQuery.parse(path,
                    (query.isEmpty() ? "" : query + "&") + "limit=250&page=" + page, java.util.Map.of()),
                    "http://simulated", false);
            if (answer.status() == 204) {
                return all;
            }
            if (answer.status() != 200) {
                throw new IllegalArgumentException(path + "?" + query + " answers " + answer.status() + ": "
                        + new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            try {
                json.readTree(answer.body()).path("_embedded").path(list.key()).forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
