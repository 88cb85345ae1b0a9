package dev.amocrmsync.simulator;

import static dev.amocrmsync.simulator.SimHttp.ids;
import static dev.amocrmsync.simulator.SimHttp.order;
import static dev.amocrmsync.simulator.SimHttp.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.testing.SettableClock;

/**
 * {@code GET /api/v4/tasks} as strict as amoCRM: its fields, the filters it reads and the forms it ignores, the orders
 * it honours and {@code order[updated_at]}, which it does not, ties shuffled on every request, 204, the limit, and a
 * deleted task that only the event log tells of.
 */
class SimulatedTasksTest {

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

    private SimulatedAccount serve(int tasks) {
        return http.serve(SimulatedAccount.withEntities(11, 200, 150, 40, tasks, 0, Duration.ofDays(30), clock));
    }

    @Test
    void pagesTasksWithTheirFieldsAsAmoCrmSendsThem() throws Exception {
        SimulatedAccount account = serve(600);
        List<JsonNode> all = http.all("/api/v4/tasks?limit=250", "tasks");
        assertThat(ids(all)).hasSize(600).isEqualTo(account.tasks().live().keySet().stream()
                .collect(Collectors.toSet()));
        assertThat(http.json("/api/v4/tasks?limit=250&page=1").path("_links").has("next")).isTrue();
        assertThat(http.json("/api/v4/tasks?limit=250&page=3").path("_links").has("next")).isFalse();
        assertThat(http.status("/api/v4/tasks?limit=250&page=4")).isEqualTo(204);
        assertThat(http.items("/api/v4/tasks?limit=1000", "tasks")).as("over the maximum: silently 50").hasSize(50);
        assertThat(http.items("/api/v4/tasks?limit=0", "tasks")).hasSize(50);

        JsonNode task = all.get(0);
        assertThat(task.fieldNames()).toIterable().contains("id", "created_by", "updated_by", "created_at",
                "updated_at", "responsible_user_id", "group_id", "entity_id", "entity_type", "duration",
                "is_completed", "task_type_id", "text", "result", "complete_till", "account_id", "_links");
        assertThat(task.path("_links").path("self").path("href").asText()).endsWith("/api/v4/tasks/" + task.path("id"));
        assertThat(all).extracting(t -> t.path("entity_type").isNull() ? "none" : t.path("entity_type").asText())
                .contains("leads", "contacts", "companies", "none").doesNotContain("lead", "contact", "company");
        assertThat(all).filteredOn(t -> t.path("entity_type").isNull()).allMatch(t -> t.path("entity_id").isNull());
        assertThat(all).filteredOn(t -> !t.path("result").has("text"))
                .allMatch(t -> t.path("result").isArray() && t.path("result").isEmpty());
        assertThat(all).filteredOn(t -> t.path("result").has("text")).isNotEmpty()
                .allMatch(t -> t.path("is_completed").asBoolean());
        assertThat(values(all, "task_type_id")).contains(1L, 2L, TaskGenerator.SEND_CONTRACT);
        assertThat(all).filteredOn(t -> t.path("task_type_id").asLong() == 2).allMatch(t -> t.path("duration").asLong() > 0);
        long id = task.path("id").asLong();
        assertThat(http.json("/api/v4/tasks/" + id).path("id").asLong()).isEqualTo(id);
        assertThat(http.status("/api/v4/tasks/1")).isEqualTo(404);
        assertThat(http.status("/api/v4/tasks/abc")).as("no such path").isEqualTo(404);
    }

    @Test
    void ordersByCreatedAtDeadlineOrIdButIgnoresOrderByUpdatedAt() throws Exception {
        SimulatedAccount account = serve(240);
        List<SimTask> tasks = new ArrayList<>(account.tasks().live().values());

        JsonNode byUpdated = http.items("/api/v4/tasks?limit=250&order[updated_at]=desc", "tasks");
        List<Long> updated = values(byUpdated, "updated_at");
        assertThat(updated).as("order[updated_at] is not honoured").isNotEqualTo(
                updated.stream().sorted(Comparator.reverseOrder()).toList());
        assertThat(values(byUpdated, "created_at")).as("the default order comes back instead").isSorted();

        assertThat(values(http.items("/api/v4/tasks?limit=250&order[complete_till]=desc", "tasks"), "complete_till"))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(values(http.items("/api/v4/tasks?limit=250&order[created_at]=desc", "tasks"), "created_at"))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(order(http.items("/api/v4/tasks?limit=250&order[id]=asc", "tasks")))
                .isEqualTo(tasks.stream().map(SimTask::id).sorted().toList());
        assertThat(values(http.items("/api/v4/tasks?limit=250&order[id]=sideways", "tasks"), "created_at"))
                .as("a direction that is neither asc nor desc: the default order").isSorted();
    }

    @Test
    void filtersAsTheApiReadsThem() throws Exception {
        SimulatedAccount account = serve(400);
        List<SimTask> tasks = new ArrayList<>(account.tasks().live().values());
        SimTask one = tasks.get(7), two = tasks.get(9);

        assertThat(ids(http.items("/api/v4/tasks?filter[id]=" + one.id(), "tasks"))).containsExactly(one.id());
        assertThat(ids(http.items("/api/v4/tasks?filter[id][]=" + one.id() + "&filter[id][]=" + two.id(), "tasks")))
                .containsExactlyInAnyOrder(one.id(), two.id());
        assertThat(http.status("/api/v4/tasks?filter[id]=" + one.id() + "," + two.id())).isEqualTo(400);

        long at = tasks.get(100).updatedAt();
        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[updated_at]=" + at, "tasks")))
                .as("one timestamp: changed after it, that second excluded (the stricter reading)")
                .isEqualTo(expected(tasks, t -> t.updatedAt() > at));
        long from = at - 86_400 * 3, to = at;
        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[updated_at][from]=" + from
                + "&filter[updated_at][to]=" + to, "tasks")))
                .isEqualTo(expected(tasks, t -> t.updatedAt() >= from && t.updatedAt() <= to));

        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[is_completed]=1", "tasks")))
                .isEqualTo(expected(tasks, SimTask::isCompleted)).isNotEmpty();
        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[is_completed]=0", "tasks")))
                .isEqualTo(expected(tasks, t -> !t.isCompleted())).isNotEmpty();
        assertThat(http.all("/api/v4/tasks?limit=250&filter[is_completed][]=0", "tasks"))
                .as("the array form is silently ignored").hasSize(400);

        long user = Catalog.USERS.get(1);
        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[responsible_user_id]=" + user, "tasks")))
                .isEqualTo(expected(tasks, t -> t.responsibleUserId() == user));
        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[task_type]=2", "tasks")))
                .isEqualTo(expected(tasks, t -> t.taskTypeId() == 2));
        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[task_type_id][]=1&filter[task_type_id][]=2", "tasks")))
                .isEqualTo(expected(tasks, t -> t.taskTypeId() <= 2));
        assertThat(ids(http.items("/api/v4/tasks?filter[task_type]=2&filter[is_completed]=1&limit=2", "tasks")))
                .hasSizeLessThanOrEqualTo(2);

        SimTask onLead = tasks.stream().filter(t -> "leads".equals(t.entityType())).findFirst().orElseThrow();
        assertThat(ids(http.all("/api/v4/tasks?filter[entity_type]=leads&filter[entity_id]=" + onLead.entityId(),
                "tasks"))).isEqualTo(expected(tasks,
                        t -> "leads".equals(t.entityType())
                                && onLead.entityId().equals(t.entityId())));
        assertThat(ids(http.all("/api/v4/tasks?limit=250&filter[entity_type]=companies", "tasks")))
                .isEqualTo(expected(tasks, t -> "companies".equals(t.entityType())));
        assertThat(http.all("/api/v4/tasks?limit=250&filter[entity_id]=" + onLead.entityId(), "tasks"))
                .as("filter[entity_id] without filter[entity_type] is ignored").hasSize(400);
        assertThat(http.status("/api/v4/tasks?filter[entity_type]=lead")).as("singular: nothing").isEqualTo(204);
    }

    @Test
    void shufflesTasksSharingTheSortKeyOnEveryRequest() throws Exception {
        SimulatedAccount account = serve(10);
        long second = START - 500;
        for (int i = 0; i < 300; i++) {
            account.tasks().add(null, null, second);
        }
        String tied = "/api/v4/tasks?limit=250&filter[updated_at]=" + (second - 1);
        List<Long> first = order(http.items(tied, "tasks"));
        List<Long> again = order(http.items(tied, "tasks"));
        assertThat(first).hasSize(250);
        assertThat(again).isNotEqualTo(first);
        assertThat(account.tasks().stampSecond(second + 7, 280)).hasSize(280);
        String query = "/api/v4/tasks?limit=250&order[created_at]=asc&filter[updated_at][from]=" + (second + 7)
                + "&filter[updated_at][to]=" + (second + 7);
        List<JsonNode> paged = http.all(query.replace("limit=250", "limit=100"), "tasks");
        assertThat(paged).hasSize(280);
        assertThat(ids(paged)).as("paging by number through shuffled ties repeats some and misses others")
                .hasSizeLessThan(280);
    }

    @Test
    void aTeamEditsCompletesAndDeletesTasks() throws Exception {
        SimulatedAccount account = serve(50);
        SimTask task = account.tasks().live().values().stream().filter(t -> !t.isCompleted()).findFirst()
                .orElseThrow();
        clock.advance(60);
        account.tasks().complete(task.id(), "Клиент забрал авто");
        JsonNode done = http.json("/api/v4/tasks/" + task.id());
        assertThat(done.path("is_completed").asBoolean()).isTrue();
        assertThat(done.path("result").path("text").asText()).isEqualTo("Клиент забрал авто");
        assertThat(done.path("updated_at").asLong()).isEqualTo(START + 60);
        assertThat(ids(http.items("/api/v4/tasks?filter[updated_at]=" + (START + 59), "tasks"))).containsExactly(task.id());
        assertThat(http.status("/api/v4/tasks?filter[updated_at]=" + (START + 60))).isEqualTo(204);

        clock.advance(60);
        account.tasks().delete(task.id());
        assertThat(http.status("/api/v4/tasks/" + task.id())).isEqualTo(404);
        assertThat(http.status("/api/v4/tasks?filter[id]=" + task.id())).isEqualTo(204);
        assertThat(account.tasks().deletedIds()).containsExactly(task.id());
        JsonNode events = http.items("/api/v4/events?filter[type]=task_deleted&filter[entity]=task", "events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("entity_type").asText()).isEqualTo("task");
        assertThat(events.get(0).path("entity_id").asLong()).isEqualTo(task.id());
        assertThat(events.get(0).path("created_at").asLong()).isEqualTo(START + 120);

        clock.advance(10);
        List<Long> worked = account.tasks().workOnRandom(20);
        assertThat(worked).hasSize(20).allMatch(id -> account.tasks().deletedIds().contains(id)
                || account.tasks().get(id).updatedAt() == START + 130);
    }

    private static Set<Long> expected(List<SimTask> tasks, java.util.function.Predicate<SimTask> which) {
        return tasks.stream().filter(which).map(SimTask::id).collect(Collectors.toSet());
    }
}
