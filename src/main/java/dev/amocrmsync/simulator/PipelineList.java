package dev.amocrmsync.simulator;

import java.util.List;

/** {@code GET /api/v4/leads/pipelines} and {@code /api/v4/leads/pipelines/{id}}, from the account's catalog now. */
final class PipelineList {

    static final List<SimRoute> ROUTES = List.of(new SimRoute("/api/v4/leads/pipelines", PipelineList::all),
            new SimRoute("/api/v4/leads/pipelines/:id", PipelineList::one));

    private PipelineList() {
    }

    private static SimAnswer all(SimulatedAccount account, SimQuery query, String baseUrl) {
        return SimAnswer.json(LeadJson.pipelines(account.catalogs().pipelines(), account.accountId(), baseUrl));
    }

    private static SimAnswer one(SimulatedAccount account, SimQuery query, String baseUrl) {
        List<Catalog.Pipeline> pipelines = account.catalogs().pipelines();
        try {
            long id = query.pathNumber("id");
            for (int i = 0; i < pipelines.size(); i++) {
                if (pipelines.get(i).id() == id) {
                    return SimAnswer.json(LeadJson.pipeline(pipelines.get(i), i + 1, account.accountId(), baseUrl));
                }
            }
            return SimAnswer.problem(404, "Not Found", "pipeline " + id + " not found");
        } catch (SimQuery.BadRequest e) {
            return SimAnswer.problem(400, "Bad Request", e.getMessage());
        }
    }
}
