package dev.amocrmsync.simulator;

import static dev.amocrmsync.simulator.SimHttp.ids;
import static dev.amocrmsync.simulator.SimHttp.order;
import static dev.amocrmsync.simulator.SimHttp.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.testing.SettableClock;

/**
 * {@code GET /api/v4/{leads|contacts|companies}/notes}: every note type with its params, ids that repeat across the
 * entity types, the notes of one entity, filters, orders, ties shuffled on every request, and deletions of which only
 * a text note leaves an event.
 */
class SimulatedNotesTest {

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

    private SimulatedAccount serve(int notes) {
        return http.serve(SimulatedAccount.withEntities(13, 300, 200, 50, 0, notes, Duration.ofDays(30), clock));
    }

    @Test
    void listsEveryNoteTypeWithItsParams() throws Exception {
        SimulatedAccount account = serve(1_500);
        for (String entity : SimNotes.ENTITIES) {
            List<JsonNode> notes = http.all("/api/v4/" + entity + "/notes?limit=250", "notes");
            assertThat(ids(notes)).as(entity).isEqualTo(account.notes().live(entity).keySet());
            assertThat(notes).allMatch(note -> !note.has("entity_type"));
            JsonNode note = notes.get(0);
            assertThat(note.fieldNames()).toIterable().contains("id", "entity_id", "created_by", "updated_by",
                    "created_at", "updated_at", "responsible_user_id", "group_id", "note_type", "params", "account_id",
                    "is_pinned", "_links");
            assertThat(note.path("_links").path("self").path("href").asText()).endsWith(
                    "/api/v4/" + entity + "/" + note.path("entity_id").asLong() + "/notes/" + note.path("id").asLong());
        }
        List<JsonNode> leadNotes = http.all("/api/v4/leads/notes?limit=250", "notes");
        assertThat(leadNotes).extracting(n -> n.path("note_type").asText()).contains("common", "call_in", "call_out",
                "service_message", "sms_in", "sms_out", "attachment", NoteGenerator.FUTURE_TYPE);
        assertThat(http.all("/api/v4/companies/notes?limit=250", "notes")).extracting(n -> n.path("note_type").asText())
                .doesNotContain("call_in", "call_out");
        List<JsonNode> calls = leadNotes.stream().filter(n -> n.path("note_type").asText().startsWith("call_")).toList();
        assertThat(calls).allMatch(call -> call.path("params").path("uniq").isTextual()
                && call.path("params").has("phone") && call.path("params").has("source")
                && call.path("params").path("call_status").isInt());
        List<JsonNode> missed = calls.stream().filter(c -> c.path("params").path("duration").asInt() == 0).toList();
        assertThat(missed).isNotEmpty().allMatch(c -> !c.path("params").has("link")
                && c.path("params").path("call_status").asInt() != 4);
        assertThat(calls).filteredOn(c -> c.path("params").path("duration").asInt() > 0)
                .allMatch(c -> c.path("params").path("link").asText().startsWith("https://"));
        assertThat(calls).as("keys may be missing").anyMatch(c -> !c.path("params").has("call_result"));
        assertThat(leadNotes).filteredOn(n -> n.path("note_type").asText().equals("common"))
                .allMatch(n -> n.path("params").path("text").isTextual());
        assertThat(leadNotes).filteredOn(n -> n.path("note_type").asText().equals("service_message"))
                .allMatch(n -> n.path("params").has("service") && n.path("params").has("text"));
        assertThat(leadNotes).filteredOn(n -> n.path("note_type").asText().equals("attachment"))
                .allMatch(n -> n.path("params").has("original_name") && n.path("params").has("file_uuid"));
    }

    @Test
    void noteIdsRepeatAcrossEntityTypes() throws Exception {
        SimulatedAccount account = serve(900);
        Set<Long> shared = new HashSet<>(account.notes().live("leads").keySet());
        shared.retainAll(account.notes().live("contacts").keySet());
        assertThat(shared).hasSizeGreaterThan(100);
        long id = shared.iterator().next();
        JsonNode ofLead = http.json("/api/v4/leads/notes/" + id);
        JsonNode ofContact = http.json("/api/v4/contacts/notes/" + id);
        assertThat(ofLead.path("id").asLong()).isEqualTo(ofContact.path("id").asLong()).isEqualTo(id);
        assertThat(ofLead.path("entity_id").asLong()).isEqualTo(account.notes().get("leads", id).entityId());
        assertThat(ofContact.path("entity_id").asLong()).isEqualTo(account.notes().get("contacts", id).entityId());
    }

    @Test
    void listsTheNotesOfOneEntity() throws Exception {
        SimulatedAccount account = serve(600);
        long lead = account.liveLeads().keySet().iterator().next();
        account.notes().add("leads", lead, "common");
        account.notes().addCall("leads", lead, true, false);
        Set<Long> expected = account.notes().live("leads").values().stream().filter(n -> n.entityId() == lead)
                .map(SimNote::id).collect(Collectors.toSet());
        assertThat(ids(http.items("/api/v4/leads/" + lead + "/notes?limit=250", "notes"))).isEqualTo(expected);
        assertThat(ids(http.items("/api/v4/leads/notes?limit=250&filter[entity_id][]=" + lead, "notes")))
                .isEqualTo(expected);
        long one = expected.iterator().next();
        assertThat(http.json("/api/v4/leads/" + lead + "/notes/" + one).path("id").asLong()).isEqualTo(one);
        assertThat(http.status("/api/v4/leads/" + (lead + 1) + "/notes/" + one)).isEqualTo(404);
        assertThat(http.status("/api/v4/leads/1/notes")).isEqualTo(204);
        assertThat(http.status("/api/v4/leads/notes/1")).isEqualTo(404);
        assertThat(http.status("/api/v4/leads/x/notes")).as("no such path").isEqualTo(404);
    }

    @Test
    void filtersAndOrdersNotes() throws Exception {
        SimulatedAccount account = serve(1_200);
        List<SimNote> notes = new ArrayList<>(account.notes().live("leads").values());
        SimNote a = notes.get(3), b = notes.get(8);
        assertThat(ids(http.items("/api/v4/leads/notes?filter[id][]=" + a.id() + "&filter[id][]=" + b.id(), "notes")))
                .containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(ids(http.all("/api/v4/leads/notes?limit=250&filter[note_type]=common", "notes")))
                .isEqualTo(expected(notes, n -> n.noteType().equals("common")));
        assertThat(ids(http.all("/api/v4/leads/notes?limit=250&filter[note_type][]=call_in&filter[note_type][]=call_out",
                "notes"))).isEqualTo(expected(notes, SimNote::isCall));
        long at = notes.get(50).updatedAt();
        assertThat(ids(http.all("/api/v4/leads/notes?limit=250&filter[updated_at]=" + at, "notes")))
                .as("one timestamp: changed after it, not in it").isEqualTo(expected(notes, n -> n.updatedAt() > at));
        assertThat(ids(http.all("/api/v4/leads/notes?limit=250&filter[updated_at][from]=" + (at - 86_400)
                + "&filter[updated_at][to]=" + at, "notes")))
                .isEqualTo(expected(notes, n -> n.updatedAt() >= at - 86_400 && n.updatedAt() <= at));

        assertThat(values(http.items("/api/v4/leads/notes?limit=250&order[updated_at]=desc", "notes"), "updated_at"))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(order(http.items("/api/v4/leads/notes?limit=250&order[id]=asc", "notes"))).isSorted();
        assertThat(values(http.items("/api/v4/leads/notes?limit=250&order[created_at]=desc", "notes"), "created_at"))
                .as("created_at is no order of notes: the default comes back").isSorted();
        assertThat(http.items("/api/v4/leads/notes?limit=251", "notes")).hasSize(50);
    }

    @Test
    void shufflesNotesOfOneSecondOnEveryRequest() throws Exception {
        SimulatedAccount account = serve(300);
        long second = START - 40;
        assertThat(account.notes().stampSecond("contacts", second, 260)).hasSize(260);
        String query = "/api/v4/contacts/notes?limit=250&order[updated_at]=asc&filter[updated_at][from]=" + second
                + "&filter[updated_at][to]=" + second;
        List<Long> first = order(http.items(query, "notes"));
        assertThat(first).hasSize(250);
        assertThat(order(http.items(query, "notes"))).isNotEqualTo(first);
    }

    @Test
    void aDeletedNoteVanishesAndOnlyATextNoteLeavesAnEvent() throws Exception {
        SimulatedAccount account = serve(100);
        long contact = account.liveContacts().keySet().iterator().next();
        clock.advance(30);
        SimNote text = account.notes().add("contacts", contact, "common");
        SimNote call = account.notes().addCall("contacts", contact, false, true);
        clock.advance(30);
        account.notes().delete("contacts", text.id());
        account.notes().delete("contacts", call.id());
        assertThat(http.status("/api/v4/contacts/notes/" + text.id())).isEqualTo(404);
        assertThat(ids(http.all("/api/v4/contacts/" + contact + "/notes", "notes"))).doesNotContain(text.id(),
                call.id());
        assertThat(account.notes().deletedIds("contacts")).containsExactlyInAnyOrder(text.id(), call.id());

        JsonNode events = http.items("/api/v4/events?filter[created_at][from]=" + (START + 60), "events");
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("type").asText()).isEqualTo("common_note_deleted");
        assertThat(event.path("entity_type").asText()).isEqualTo("contact");
        assertThat(event.path("entity_id").asLong()).isEqualTo(contact);
        assertThat(event.path("value_before").get(0).path("note").path("id").asLong()).isEqualTo(text.id());
        assertThat(http.items("/api/v4/events?filter[entity]=contact&filter[entity_id]=" + contact, "events"))
                .hasSize(1);
    }

    private static Set<Long> expected(List<SimNote> notes, java.util.function.Predicate<SimNote> which) {
        return notes.stream().filter(which).map(SimNote::id).collect(Collectors.toSet());
    }
}
