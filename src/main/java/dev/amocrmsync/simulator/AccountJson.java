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
}
