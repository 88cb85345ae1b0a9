package dev.amocrmsync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.testing.SettableClock;
import io.vertx.core.Vertx;

/**
 * Contacts and companies over HTTP, held to the leads' strictness: paging, filters, 204, ties shuffled on every
 * request, links hidden while the other side is deleted, and the events that alone tell of it.
 */
class SimulatedEntitiesTest {

    private static final long START = 1_750_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Vertx vertx;
    private static SimulatorServer server;

    private final SettableClock clock = new SettableClock(START);

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server = SimulatorServer.start(vertx, new SimulatedAccount(1), "127.0.0.1", 0).acceptOnly("fake");
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private SimulatedAccount serve(int leads, int contacts, int companies) {
        SimulatedAccount account = SimulatedAccount.withEntities(7, leads, contacts, companies, Duration.ofDays(30),
                clock);
        server.serve(account);
        return account;
    }

    @Test
    void pagesContactsAndCompaniesLikeLeads() throws Exception {
        SimulatedAccount account = serve(200, 620, 130);
        Set<Long> seen = new HashSet<>();
        int page = 1;
        for (;; page++) {
            HttpResponse<String> response = get("/api/v4/contacts?limit=250&order[updated_at]=asc&page=" + page);
            if (response.statusCode() == 204) {
                assertThat(response.body()).isEmpty();
                break;
            }
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("_page").asInt()).isEqualTo(page);
            JsonNode contacts = body.path("_embedded").path("contacts");
            assertThat(body.path("_links").has("next")).isEqualTo(contacts.size() == 250);
            contacts.forEach(contact -> seen.add(contact.path("id").asLong()));
        }
        assertThat(page).isEqualTo(4);
        assertThat(seen).isEqualTo(account.liveContacts().keySet());
        assertThat(json("/api/v4/companies?limit=1000").path("_embedded").path("companies")).hasSize(50);
        assertThat(json("/api/v4/companies?limit=250&page=1").path("_embedded").path("companies")).hasSize(130);
        assertThat(get("/api/v4/companies?limit=250&page=2").statusCode()).isEqualTo(204);
        assertThat(get("/api/v4/contacts").headers().firstValue("Date")).isPresent();
    }

    @Test
    void filtersByUpdatedAtInclusiveAndById() throws Exception {
        SimulatedAccount account = serve(10, 300, 40);
        List<SimContact> all = new ArrayList<>(account.liveContacts().values());
        long from = all.get(10).updatedAt();
        long to = all.get(20).updatedAt();
        long lo = Math.min(from, to), hi = Math.max(from, to);
        Set<Long> expected = new HashSet<>();
        all.stream().filter(c -> c.updatedAt() >= lo && c.updatedAt() <= hi).forEach(c -> expected.add(c.id()));
        Set<Long> got = ids(json("/api/v4/contacts?limit=250&filter[updated_at][from]=" + lo
                + "&filter[updated_at][to]=" + hi).path("_embedded").path("contacts"));
        assertThat(got).isEqualTo(expected);
        long a = all.get(3).id(), b = all.get(5).id();
        assertThat(ids(json("/api/v4/contacts?filter[id][]=" + b + "&filter[id][]=" + a).path("_embedded")
                .path("contacts"))).containsExactlyInAnyOrder(a, b);
        assertThat(get("/api/v4/contacts?filter[updated_at][from]=" + (START + 10)).statusCode()).isEqualTo(204);
        JsonNode byIdDesc = json("/api/v4/companies?order[id]=desc&limit=5").path("_embedded").path("companies");
        assertThat(byIdDesc.get(0).path("id").asLong()).isEqualTo(account.liveCompanies().keySet().stream()
                .mapToLong(Long::longValue).max().orElseThrow());
    }

    @Test
    void shufflesContactsAndCompaniesOfOneSecondOnEveryRequest() throws Exception {
        SimulatedAccount account = serve(10, 400, 300);
        long second = START - 100;
        account.stampContactSecond(second, 300);
        account.stampCompanySecond(second, 300);
        for (String entity : List.of("contacts", "companies")) {
            String query = "/api/v4/" + entity + "?limit=250&order[updated_at]=desc&filter[updated_at][from]=" + second
                    + "&filter[updated_at][to]=" + second;
            List<Long> first = order(json(query).path("_embedded").path(entity));
            List<Long> second2 = order(json(query).path("_embedded").path(entity));
            assertThat(first).hasSize(250);
            assertThat(second2).isNotEqualTo(first);
        }
    }

    @Test
    void aDeletedContactOrCompanyLeavesEveryEmbeddedUntilRestoredWithoutMovingTheLead() throws Exception {
        SimulatedAccount account = serve(300, 200, 50);
        SimLead lead = account.liveLeads().values().stream()
                .filter(l -> l.contactIds().size() >= 2 && l.companyId() != null).findFirst().orElseThrow();
        long main = lead.contactIds().get(0);
        long company = lead.companyId();
        JsonNode before = json("/api/v4/leads/" + lead.id() + "?with=contacts");
        assertThat(ids(before.path("_embedded").path("contacts"))).containsExactlyElementsOf(lead.contactIds());
        assertThat(before.path("_embedded").path("contacts").get(0).path("is_main").asBoolean()).isTrue();
        assertThat(ids(before.path("_embedded").path("companies"))).containsExactly(company);

        clock.advance(5);
        account.deleteContact(main);
        account.deleteCompany(company);
        JsonNode during = json("/api/v4/leads?with=contacts&filter[id][]=" + lead.id()).path("_embedded")
                .path("leads").get(0);
        assertThat(during.path("updated_at").asLong()).isEqualTo(lead.updatedAt());
        assertThat(ids(during.path("_embedded").path("contacts"))).doesNotContain(main)
                .hasSize(lead.contactIds().size() - 1);
        assertThat(during.path("_embedded").path("contacts").findValues("is_main"))
                .allMatch(isMain -> !isMain.asBoolean());
        assertThat(during.path("_embedded").path("companies")).isEmpty();
        assertThat(account.leadLinks(lead.id()).companyId()).isNull();
        assertThat(account.leadLinks(lead.id()).mainContactId()).isNull();
        assertThat(get("/api/v4/contacts/" + main).statusCode()).isEqualTo(404);
        assertThat(account.liveContactCompanies()).doesNotContainValue(company);
        assertThat(account.deletedContacts()).containsKey(main);

        account.restoreContact(main);
        account.restoreCompany(company);
        JsonNode after = json("/api/v4/leads/" + lead.id() + "?with=contacts");
        assertThat(after.path("updated_at").asLong()).isEqualTo(lead.updatedAt());
        assertThat(ids(after.path("_embedded").path("contacts"))).containsExactlyElementsOf(lead.contactIds());
        assertThat(ids(after.path("_embedded").path("companies"))).containsExactly(company);
        assertThat(ids(json("/api/v4/contacts/" + main + "?with=leads").path("_embedded").path("leads")))
                .contains(lead.id());
    }

    @Test
    void linkingMovesTheLeadAndTheContact() {
        SimulatedAccount account = serve(20, 20, 5);
        SimLead lead = account.liveLeads().values().iterator().next();
        SimContact contact = account.addContact(START - 500);
        SimCompany company = account.addCompany(START - 500);
        clock.advance(30);
        account.linkContact(lead.id(), contact.id(), true);
        account.linkCompany(lead.id(), company.id());
        assertThat(account.lead(lead.id()).updatedAt()).isEqualTo(START + 30);
        assertThat(account.contact(contact.id()).updatedAt()).isEqualTo(START + 30);
        assertThat(account.company(company.id()).updatedAt()).isEqualTo(START + 30);
        assertThat(account.leadLinks(lead.id()).mainContactId()).isEqualTo(contact.id());
        assertThat(account.leadLinks(lead.id()).companyId()).isEqualTo(company.id());

        clock.advance(30);
        account.unlinkContact(lead.id(), contact.id());
        assertThat(account.lead(lead.id()).updatedAt()).isEqualTo(START + 60);
        assertThat(account.contact(contact.id()).updatedAt()).isEqualTo(START + 60);
        assertThat(account.leadLinks(lead.id()).contactIds()).doesNotContain(contact.id());
    }

    @Test
    void embedsLinksOfContactsAndCompanies() throws Exception {
        SimulatedAccount account = serve(400, 300, 60);
        SimContact contact = account.liveContacts().values().stream().filter(c -> c.companyId() != null).findFirst()
                .orElseThrow();
        JsonNode one = json("/api/v4/contacts/" + contact.id());
        assertThat(ids(one.path("_embedded").path("companies"))).containsExactly(contact.companyId());
        assertThat(one.path("_embedded").has("tags")).isTrue();
        assertThat(one.path("_embedded").has("leads")).isFalse();
        assertThat(one.path("custom_fields_values").findValues("field_code").toString()).contains("PHONE");

        JsonNode company = json("/api/v4/companies/" + contact.companyId() + "?with=contacts,leads");
        assertThat(ids(company.path("_embedded").path("contacts"))).contains(contact.id());
        Set<Long> leadsOfCompany = new HashSet<>();
        account.liveLeads().values().stream().filter(l -> contact.companyId().equals(l.companyId()))
                .forEach(l -> leadsOfCompany.add(l.id()));
        assertThat(ids(company.path("_embedded").path("leads"))).isEqualTo(leadsOfCompany);
    }

    @Test
    void filtersDeletionEventsByEntityAndType() throws Exception {
        SimulatedAccount account = serve(20, 20, 20);
        long second = START - 10;
        account.deleteAll(List.copyOf(account.liveLeads().keySet()).subList(0, 3), second);
        account.deleteContacts(List.copyOf(account.liveContacts().keySet()).subList(0, 4), second);
        account.deleteCompanies(List.copyOf(account.liveCompanies().keySet()).subList(0, 5), second);
        account.restoreCompanies(List.copyOf(account.deletedCompanies().keySet()).subList(0, 2), second);

        JsonNode contacts = json("/api/v4/events?filter[entity]=contact&filter[created_at][from]=" + second)
                .path("_embedded").path("events");
        assertThat(contacts).hasSize(4).allMatch(e -> e.path("entity_type").asText().equals("contact")
                && e.path("type").asText().equals("contact_deleted"));
        JsonNode restored = json("/api/v4/events?filter[type][]=company_restored&filter[type][]=lead_restored")
                .path("_embedded").path("events");
        assertThat(restored).hasSize(2).allMatch(e -> e.path("entity_type").asText().equals("company"));
        assertThat(json("/api/v4/events?filter[type]=lead_deleted,company_deleted&limit=100").path("_embedded")
                .path("events")).hasSize(8);
        assertThat(get("/api/v4/events?filter[entity]=contact&filter[created_at][to]=" + (second - 1)).statusCode())
                .isEqualTo(204);
    }

    @Test
    void servesTheContactAndCompanyFieldCatalogs() throws Exception {
        serve(1, 1, 1);
        JsonNode contacts = json("/api/v4/contacts/custom_fields").path("_embedded").path("custom_fields");
        assertThat(contacts.findValuesAsText("code")).contains("PHONE", "EMAIL");
        assertThat(contacts.findValuesAsText("entity_type")).containsOnly("contacts");
        JsonNode companies = json("/api/v4/companies/custom_fields").path("_embedded").path("custom_fields");
        assertThat(companies.findValuesAsText("code")).contains("PHONE", "EMAIL", "WEB", "ADDRESS");
    }

    @Test
    void answersWithoutHttpAsOverIt() {
        SimulatedAccount account = serve(100, 300, 60);
        assertThat(AccountJson.contacts(account, JSON)).hasSize(300);
        assertThat(AccountJson.companies(account, JSON)).hasSize(60);
        List<JsonNode> page = AccountAccess.answer(account, "contacts",
                new ListQuery(null, null, null, "updated_at", false, 2, 250), Set.of("leads"));
        assertThat(page).hasSize(50).allMatch(contact -> contact.path("_embedded").has("leads"));
        account.deleteContacts(List.copyOf(account.liveContacts().keySet()).subList(0, 3), START);
        account.deleteAll(List.of(account.liveLeads().keySet().iterator().next()), START);
        assertThat(AccountAccess.events(account, Set.of("contact"), START, START, 1, 100))
                .hasSize(3).allMatch(event -> event.entityType().equals("contact"));
    }

    @Test
    void generatesALargeLinkedAccount() {
        SimulatedAccount account = SimulatedAccount.withEntities(3, 20_000, 30_000, 5_000, Duration.ofDays(365));
        assertThat(account.liveContacts()).hasSize(30_000);
        assertThat(account.liveCompanies()).hasSize(5_000);
        long withCompany = account.liveLeads().values().stream().filter(l -> l.companyId() != null).count();
        assertThat(withCompany).isBetween(8_000L, 12_000L);
        Set<Long> contacts = account.liveContacts().keySet();
        assertThat(account.liveLeads().values())
                .allMatch(l -> l.contactIds().size() <= 3 && contacts.containsAll(l.contactIds()));
        long contactsWithCompany = account.liveContacts().values().stream().filter(c -> c.companyId() != null).count();
        assertThat(contactsWithCompany).isBetween(10_000L, 14_000L);
        // the same leads as the seed always made, links aside
        assertThat(account.liveLeads().values().stream().map(SimLead::name).toList()).isEqualTo(SimulatedAccount
                .withLeads(3, 20_000, Duration.ofDays(365)).liveLeads().values().stream().map(SimLead::name).toList());
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        String encoded = pathAndQuery.replace("[", "%5B").replace("]", "%5D");
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + encoded))
                .header("Authorization", "Bearer fake").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Set<Long> ids(JsonNode array) {
        Set<Long> ids = new java.util.LinkedHashSet<>();
        array.forEach(node -> ids.add(node.path("id").asLong()));
        return ids;
    }

    private static List<Long> order(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.path("id").asLong()));
        return ids;
    }
}
