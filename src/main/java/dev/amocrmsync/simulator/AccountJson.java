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
        return all(json, "contacts", page -> {
            EntitiesAnswer<SimContact> answer = account.contacts(everything(page), java.util.Set.of("leads"));
            return new Rendered(PartyJson.contactsPage(answer, "http://simulated", ""), answer.hasNext());
        });
    }

    /** Every live company of an account as the API renders it (with {@code with=leads,contacts}), oldest update first. */
    public static List<JsonNode> companies(SimulatedAccount account, ObjectMapper json) {
        return all(json, "companies", page -> {
            EntitiesAnswer<SimCompany> answer = account.companies(everything(page), java.util.Set.of("leads", "contacts"));
            return new Rendered(PartyJson.companiesPage(answer, "http://simulated", ""), answer.hasNext());
        });
    }

    private record Rendered(byte[] body, boolean hasNext) {
    }

    private static ListQuery everything(int page) {
        return new ListQuery(null, null, null, "updated_at", false, page, 250);
    }

    private static List<JsonNode> all(ObjectMapper json, String entity, java.util.function.IntFunction<Rendered> pages) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1;; page++) {
            Rendered rendered = pages.apply(page);
            try {
                json.readTree(rendered.body()).path("_embedded").path(entity).forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!rendered.hasNext()) {
                return all;
            }
        }
    }
}
