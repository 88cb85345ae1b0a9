package dev.amocrmsync.simulator;

import static dev.amocrmsync.simulator.SimHttp.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.testing.SettableClock;

/** The pipelines with won and lost in each, the loss reasons (and the older accounts' 404), and the tags. */
class SimulatedCatalogsTest {

    private static final long START = 1_750_000_000L;
    private static SimHttp http;

    private final SettableClock clock = new SettableClock(START);

    @BeforeAll
    static void start() {
        http = new SimHttp();
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    private SimulatedAccount serve() {
        return http.serve(SimulatedAccount.withEntities(29, 50, 30, 10, Duration.ofDays(5), clock));
    }

    @Test
    void everyPipelineHasWonAndLostAndOneUnsortedStage() throws Exception {
        SimulatedAccount account = serve();
        JsonNode pipelines = http.items("/api/v4/leads/pipelines", "pipelines");
        assertThat(pipelines).hasSize(3);
        for (JsonNode pipeline : pipelines) {
            JsonNode statuses = pipeline.path("_embedded").path("statuses");
            assertThat(statuses.findValues("id")).extracting(JsonNode::asLong).contains(Catalog.WON, Catalog.LOST);
            assertThat(statuses.findValues("type")).extracting(JsonNode::asInt).containsOnlyOnce(1);
            assertThat(statuses).allMatch(s -> s.path("pipeline_id").asLong() == pipeline.path("id").asLong());
        }
        long main = pipelines.get(0).path("id").asLong();
        long stage = pipelines.get(0).path("_embedded").path("statuses").get(1).path("id").asLong();
        account.catalogs().renameStatus(main, stage, "Звонок клиенту");
        account.catalogs().renameStatus(main, Catalog.WON, "Авто возвращено");
        JsonNode renamed = http.json("/api/v4/leads/pipelines/" + main).path("_embedded").path("statuses");
        assertThat(renamed.findValuesAsText("name")).contains("Звонок клиенту", "Авто возвращено");
        assertThat(account.catalogs().statusName(main, Catalog.WON)).isEqualTo("Авто возвращено");
        assertThat(account.catalogs().statusName(pipelines.get(1).path("id").asLong(), Catalog.WON))
                .as("142 of another pipeline keeps its name").isEqualTo("Успешно реализовано");
        account.catalogs().addStatus(main, new Catalog.Status(69_586_299, "Ожидает оплаты", 35, 0, "#fffd7f"));
        assertThat(http.json("/api/v4/leads/pipelines/" + main).path("_embedded").path("statuses")
                .findValuesAsText("name")).contains("Ожидает оплаты");
        assertThat(http.status("/api/v4/leads/pipelines/1")).isEqualTo(404);
    }

    @Test
    void listsLossReasonsUnlessTheAccountIsOlderThanTheEndpoint() throws Exception {
        SimulatedAccount account = serve();
        JsonNode reasons = http.items("/api/v4/leads/loss_reasons", "loss_reasons");
        assertThat(reasons).hasSize(4);
        assertThat(reasons.get(0).fieldNames()).toIterable().contains("id", "name", "sort", "created_at", "updated_at");
        clock.advance(100);
        SimCatalogs.LossReason added = account.catalogs().addLossReason("Нет прав категории B");
        account.catalogs().removeLossReason(SimCatalogs.FIRST_LOSS_REASON);
        account.catalogs().renameLossReason(SimCatalogs.FIRST_LOSS_REASON + 1, "Нет свободных машин");
        JsonNode after = http.items("/api/v4/leads/loss_reasons", "loss_reasons");
        assertThat(ids(after)).doesNotContain(SimCatalogs.FIRST_LOSS_REASON).contains(added.id());
        assertThat(after.findValuesAsText("name")).contains("Нет свободных машин", "Нет прав категории B");
        JsonNode one = http.json("/api/v4/leads/loss_reasons/" + (SimCatalogs.FIRST_LOSS_REASON + 1));
        assertThat(one.path("updated_at").asLong()).isEqualTo(START + 100);
        assertThat(http.status("/api/v4/leads/loss_reasons/1")).isEqualTo(404);

        account.catalogs().lossReasonsApi(false);
        assertThat(http.status("/api/v4/leads/loss_reasons")).isEqualTo(404);
        assertThat(http.status("/api/v4/leads/loss_reasons/" + added.id())).isEqualTo(404);
        assertThat(http.status("/api/v4/leads/pipelines")).isEqualTo(200);
    }

    @Test
    void listsTagsOfEachEntityType() throws Exception {
        SimulatedAccount account = serve();
        for (String entity : SimNotes.ENTITIES) {
            JsonNode tags = http.items("/api/v4/" + entity + "/tags", "tags");
            assertThat(ids(tags)).containsExactlyElementsOf(Catalog.TAGS.stream().map(Catalog.Tag::id).toList());
            assertThat(tags).allMatch(t -> t.path("color").isNull() || t.path("color").asText().matches("#[0-9a-f]{6}"));
            assertThat(tags).anyMatch(t -> t.path("color").isNull());
        }
        Catalog.Tag lead = account.catalogs().addTag("leads", "корпоратив", "#c1e0ff");
        Catalog.Tag contact = account.catalogs().addTag("contacts", "чёрный список", null);
        assertThat(lead.id()).as("tag ids repeat across entity types").isEqualTo(contact.id());
        assertThat(http.items("/api/v4/leads/tags?filter[id][]=" + lead.id(), "tags").get(0).path("name").asText())
                .isEqualTo("корпоратив");
        assertThat(http.items("/api/v4/contacts/tags?filter[id]=" + lead.id(), "tags").get(0).path("name").asText())
                .isEqualTo("чёрный список");
        assertThat(ids(http.items("/api/v4/leads/tags?filter[name]=VIP", "tags"))).containsExactly(504L);
        assertThat(ids(http.items("/api/v4/leads/tags?query=вит", "tags"))).containsExactly(502L);
        assertThat(http.items("/api/v4/leads/tags?limit=2&page=3", "tags")).hasSize(2);
        assertThat(http.status("/api/v4/leads/tags?limit=2&page=4")).isEqualTo(204);
        assertThat(http.status("/api/v4/companies/tags?filter[name]=нет такого")).isEqualTo(204);

        account.catalogs().renameTag("leads", 504, "V.I.P.");
        account.catalogs().removeTag("leads", 501);
        SimLead tagged = account.liveLeads().values().stream().filter(l -> l.tagIds().contains(504L)).findFirst()
                .orElseThrow();
        JsonNode shown = http.json("/api/v4/leads/" + tagged.id()).path("_embedded").path("tags");
        assertThat(shown.findValuesAsText("name")).containsExactly("V.I.P.");
        SimLead removed = account.liveLeads().values().stream().filter(l -> l.tagIds().contains(501L)).findFirst()
                .orElseThrow();
        assertThat(http.json("/api/v4/leads/" + removed.id()).path("_embedded").path("tags").findValues("id"))
                .as("a removed tag leaves its records").extracting(JsonNode::asLong).doesNotContain(501L);
    }
}
