package dev.amocrmsync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.testing.SettableClock;

/**
 * The leads' way through the funnel in the event log: a seeded history that ends where each lead stands, robots that
 * move hundreds of leads in one second, moves by users and by edits, and the events list's filters over them.
 */
class SimulatedHistoryTest {

    private static final long START = 1_750_000_000L;
    private static final Duration HISTORY = Duration.ofDays(60);
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

    @Test
    void aSeededHistoryEndsWhereEachLeadStands() {
        SimulatedAccount account = SimulatedAccount.withEntities(17, 3_000, 100, 20, HISTORY, clock);
        List<StatusChange> changes = account.statusChanges();
        assertThat(changes.size()).isBetween(4_000, 12_000);
        Map<Long, List<StatusChange>> byLead = changes.stream().collect(Collectors.groupingBy(StatusChange::leadId));
        byLead.forEach((leadId, moves) -> {
            SimLead lead = account.lead(leadId);
            moves.sort(java.util.Comparator.comparingLong(StatusChange::changedAt));
            for (int i = 1; i < moves.size(); i++) {
                assertThat(moves.get(i).statusBefore()).as("lead %d move %d starts where the last ended", leadId, i)
                        .isEqualTo(moves.get(i - 1).statusAfter());
                assertThat(moves.get(i).pipelineBefore()).isEqualTo(moves.get(i - 1).pipelineAfter());
            }
            StatusChange last = moves.get(moves.size() - 1);
            assertThat(last.statusAfter()).as("lead %d ends in its stage", leadId).isEqualTo(lead.statusId());
            assertThat(last.pipelineAfter()).isEqualTo(lead.pipelineId());
            assertThat(moves).allMatch(m -> m.changedAt() > lead.createdAt() && m.changedAt() <= lead.updatedAt()
                    && (m.statusBefore() != m.statusAfter() || m.pipelineBefore() != m.pipelineAfter()));
        });
        assertThat(changes).as("some leads came over from the main pipeline")
                .anyMatch(c -> c.pipelineBefore() != c.pipelineAfter());
        assertThat(changes).as("won and lost in several pipelines").filteredOn(c -> c.statusAfter() == Catalog.WON)
                .extracting(StatusChange::pipelineAfter).hasSizeGreaterThan(1).containsAll(
                        Catalog.PIPELINES.stream().map(Catalog.Pipeline::id).toList());
        Map<Long, Long> perSecond = changes.stream()
                .collect(Collectors.groupingBy(StatusChange::changedAt, Collectors.counting()));
        long crowded = perSecond.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(crowded).as("a robot moved a crowd in one second").isBetween(150L, 300L);
        assertThat(changes).filteredOn(c -> perSecond.get(c.changedAt()) == crowded)
                .allMatch(c -> c.changedBy() == 0);
        long span = changes.stream().mapToLong(StatusChange::changedAt).max().orElseThrow()
                - changes.stream().mapToLong(StatusChange::changedAt).min().orElseThrow();
        assertThat(span).as("spread over the history").isGreaterThan(HISTORY.toSeconds() / 2);

        List<SimLead> lost = account.liveLeads().values().stream().filter(l -> l.statusId() == Catalog.LOST).toList();
        Set<Long> reasons = account.catalogs().lossReasons().stream().map(SimCatalogs.LossReason::id)
                .collect(Collectors.toSet());
        assertThat(lost).anyMatch(l -> l.lossReasonId() == null)
                .filteredOn(l -> l.lossReasonId() != null).isNotEmpty()
                .allMatch(l -> reasons.contains(l.lossReasonId()));
        assertThat(account.liveLeads().values()).filteredOn(l -> l.statusId() != Catalog.LOST)
                .allMatch(l -> l.lossReasonId() == null);
    }

    @Test
    void servesStatusChangesAsTheEventsApiDoes() throws Exception {
        SimulatedAccount account = http.serve(SimulatedAccount.withEntities(19, 1_000, 50, 10, HISTORY, clock));
        JsonNode event = http.items("/api/v4/events?filter[type]=lead_status_changed&limit=1", "events").get(0);
        assertThat(event.path("id").isTextual()).isTrue();
        assertThat(event.path("entity_type").asText()).isEqualTo("lead");
        assertThat(event.path("created_by").isIntegralNumber()).isTrue();
        JsonNode after = event.path("value_after").get(0).path("lead_status");
        JsonNode before = event.path("value_before").get(0).path("lead_status");
        assertThat(after.path("id").isIntegralNumber() && after.path("pipeline_id").isIntegralNumber()).isTrue();
        assertThat(before.path("id").isIntegralNumber() && before.path("pipeline_id").isIntegralNumber()).isTrue();

        List<StatusChange> changes = account.statusChanges();
        Set<String> served = new HashSet<>();
        for (JsonNode one : http.all("/api/v4/events?filter[type]=lead_status_changed&limit=100", "events")) {
            served.add(one.path("id").asText());
        }
        Set<String> logged = changes.stream().map(StatusChange::eventId).collect(Collectors.toSet());
        assertThat(logged).containsAll(served);
        assertThat(served.size()).as("paging by number loses some of a crowded second, not more")
                .isGreaterThan(changes.size() * 9 / 10);

        long lead = changes.get(0).leadId();
        List<JsonNode> ofLead = new ArrayList<>();
        http.items("/api/v4/events?filter[entity]=lead&filter[entity_id]=" + lead
                + "&filter[type]=lead_status_changed", "events").forEach(ofLead::add);
        assertThat(ofLead).hasSize((int) changes.stream().filter(c -> c.leadId() == lead).count());
        assertThat(http.status("/api/v4/events?filter[entity_id]=1,2,3,4,5,6,7,8,9,10,11&filter[entity]=lead"))
                .as("at most 10 ids").isEqualTo(400);
        assertThat(http.status("/api/v4/events?filter[entity_id]=1")).as("only with one entity").isEqualTo(400);

        StatusChange won = changes.stream().filter(c -> c.statusAfter() == Catalog.WON).findFirst().orElseThrow();
        JsonNode intoWon = http.items("/api/v4/events?limit=100&filter[type]=lead_status_changed"
                + "&filter[value_after][leads_statuses][0][pipeline_id]=" + won.pipelineAfter()
                + "&filter[value_after][leads_statuses][0][status_id]=142", "events");
        assertThat(intoWon).isNotEmpty().allMatch(e -> e.path("value_after").get(0).path("lead_status").path("id")
                .asLong() == 142
                && e.path("value_after").get(0).path("lead_status").path("pipeline_id")
                        .asLong() == won.pipelineAfter());

        long t = won.changedAt();
        assertThat(http.items("/api/v4/events?filter[type]=lead_status_changed&limit=100&filter[created_at]=" + t + ","
                + t, "events")).allMatch(e -> e.path("created_at").asLong() == t).isNotEmpty();
        assertThat(http.items("/api/v4/events?filter[type]=lead_status_changed&limit=100&filter[created_at]=" + t,
                "events")).as("one timestamp: after it").allMatch(e -> e.path("created_at").asLong() > t);
        assertThat(http.items("/api/v4/events?limit=100&order[created_at]=asc", "events"))
                .as("newest first only").extracting(e -> e.path("created_at").asLong())
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void movesByUsersEditsAndRobotsAreLogged() throws Exception {
        SimulatedAccount account = http.serve(SimulatedAccount.withEntities(23, 600, 50, 10, HISTORY, clock));
        int before = account.statusChanges().size();
        SimLead lead = account.liveLeads().values().stream().filter(l -> l.statusId() != Catalog.WON).findFirst()
                .orElseThrow();
        Catalog.Pipeline other = Catalog.PIPELINES.stream().filter(p -> p.id() != lead.pipelineId()).findFirst()
                .orElseThrow();
        clock.advance(10);
        SimLead moved = account.moveLead(lead.id(), other.id(), other.statuses().get(1).id());
        assertThat(moved.updatedAt()).isEqualTo(START + 10);
        StatusChange change = account.statusChanges().get(account.statusChanges().size() - 1);
        assertThat(change).isEqualTo(new StatusChange(change.eventId(), lead.id(), lead.pipelineId(), lead.statusId(),
                other.id(), other.statuses().get(1).id(), START + 10, lead.responsibleUserId()));
        clock.advance(10);
        SimLead lostLead = account.loseLead(lead.id(), null);
        assertThat(lostLead.lossReasonId()).isNull();
        assertThat(lostLead.closedAt()).isEqualTo(START + 20);
        assertThat(http.json("/api/v4/leads/" + lead.id()).path("loss_reason_id").isNull()).isTrue();

        long second = START + 100;
        clock.set(second + 5);
        List<Long> crowd = account.moveRandomLeadsInOneSecond(260, Catalog.PIPELINES.get(0).id(),
                Catalog.PIPELINES.get(0).statuses().get(2).id(), second);
        assertThat(crowd).hasSizeGreaterThan(150);
        assertThat(crowd).allMatch(id -> account.lead(id).updatedAt() == second);
        String query = "/api/v4/events?limit=100&filter[type]=lead_status_changed&filter[created_at][from]=" + second
                + "&filter[created_at][to]=" + second;
        List<String> first = ids(http.items(query, "events"));
        assertThat(first).hasSize(100);
        assertThat(ids(http.items(query, "events"))).as("a crowded second in a new order each time").isNotEqualTo(first);
        assertThat(http.items(query, "events")).allMatch(e -> e.path("created_by").asLong() == 0);

        int logged = account.statusChanges().size();
        clock.advance(10);
        List<Long> edited = account.editRandom(50);
        long movedByEdits = edited.stream().filter(id -> {
            List<StatusChange> last = account.statusChanges().stream().filter(c -> c.leadId() == id).toList();
            return !last.isEmpty() && last.get(last.size() - 1).changedAt() == START + 115;
        }).count();
        assertThat(account.statusChanges().size() - logged).as("edits that changed the stage are moves")
                .isEqualTo((int) movedByEdits).isPositive();
        assertThat(account.statusChanges().size()).isGreaterThan(before + crowd.size());
    }

    @Test
    void theLogReachesBackOnlySoFar() throws Exception {
        SimulatedAccount account = http.serve(SimulatedAccount.withEntities(37, 500, 50, 10, HISTORY, clock));
        long horizon = START - HISTORY.toSeconds() / 2;
        int all = account.statusChanges().size();
        account.forgetEventsBefore(horizon);
        assertThat(account.statusChanges()).hasSizeLessThan(all).allMatch(c -> c.changedAt() >= horizon);
        assertThat(http.status("/api/v4/events?filter[created_at][to]=" + (horizon - 1))).isEqualTo(204);
    }

    @Test
    void aSalesTeamAtWorkChangesEveryList() {
        SimulatedAccount account = SimulatedAccount.withEntities(31, 200, 150, 30, 100, 300, HISTORY, clock);
        int changes = account.statusChanges().size();
        int notes = account.notes().size();
        clock.advance(60);
        account.salesTeamAtWork(10);
        long now = START + 60;
        assertThat(account.statusChanges().size() - changes).as("10 moves, and the edits that moved").isGreaterThan(9);
        assertThat(account.liveLeads().values()).filteredOn(l -> l.updatedAt() == now).hasSizeGreaterThanOrEqualTo(10);
        assertThat(account.liveContacts().values()).filteredOn(c -> c.updatedAt() == now).hasSize(10);
        assertThat(account.tasks().live().values().stream().filter(t -> t.updatedAt() == now).count()
                + account.tasks().deletedIds().size()).isEqualTo(10);
        long changedNotes = SimNotes.ENTITIES.stream()
                .mapToLong(e -> account.notes().live(e).values().stream().filter(n -> n.updatedAt() == now).count())
                .sum();
        assertThat(changedNotes + notes - account.notes().size()).as("notes written, edited or deleted")
                .isGreaterThan(0);
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }
}
