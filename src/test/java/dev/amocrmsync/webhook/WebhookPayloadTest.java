package dev.amocrmsync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.testing.LegacyWebhook;

class WebhookPayloadTest {

    /** The routes the entities' descriptions make (see WebhookTest, which builds them from the beans). */
    static final WebhookRoutes ROUTES = new WebhookRoutes(
            java.util.Map.of("leads", "leads", "contacts", "contacts", "companies", "companies", "task", "tasks"),
            java.util.Map.of("leads", "lead_notes", "contacts", "contact_notes", "companies", "company_notes"));

    @Test
    void readsLeadEventsWithEncodedOrPlainBrackets() {
        String encoded = "leads%5Bstatus%5D%5B0%5D%5Bid%5D=10701093&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142"
                + "&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=8580102&account%5Bsubdomain%5D=geodrive&account%5Bid%5D=31";
        String plain = "leads[update][0][id]=1&leads[update][0][last_modified]=1731000000&leads[update][1][id]=2"
                + "&leads[delete][0][id]=3&leads[note][0][note][element_id]=4&leads[note][0][note][text]=hi&account[id]=31";

        WebhookPayload status = WebhookPayload.parse(encoded, ROUTES).orElseThrow();
        WebhookPayload mixed = WebhookPayload.parse(plain, ROUTES).orElseThrow();

        assertThat(status.account()).containsEntry("subdomain", "geodrive").containsEntry("id", "31");
        assertThat(status.events()).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("status");
            assertThat(event.id()).isEqualTo(10_701_093L);
            assertThat(event.fields()).containsEntry("status_id", "142");
        });
        assertThat(mixed.events()).extracting(e -> e.type() + ":" + e.id())
                .containsExactlyInAnyOrder("update:1", "update:2", "delete:3", "note:4");
    }

    @Test
    void aMassEditOf30LeadsWith25CustomFieldsEachIsReadWhole() {
        LegacyWebhook delivery = LegacyWebhook.of(31);
        for (int i = 0; i < 30; i++) {
            delivery.item("leads", "update", i, 1_000 + i, 1_731_000_000L + i, 25);
        }

        WebhookPayload payload = WebhookPayload.parse(delivery.body(), ROUTES).orElseThrow();

        assertThat(delivery.parameterCount()).isGreaterThan(1_024);
        assertThat(payload.events()).hasSize(30).extracting(WebhookPayload.EntityEvent::id)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(1_000, 1_030).boxed().toList());
        assertThat(payload.events()).allSatisfy(event -> assertThat(event.fields()).hasSize(52));
        assertThat(payload.account()).containsEntry("id", "31");
    }

    @Test
    void readsContactAndCompanyEventsAndACompanyDeliveredUnderContacts() {
        String body = "contacts[update][0][id]=11&contacts[update][0][last_modified]=100&contacts[update][0][type]=contact"
                + "&contacts%5Bupdate%5D%5B1%5D%5Bid%5D=21&contacts%5Bupdate%5D%5B1%5D%5Blast_modified%5D=101"
                + "&contacts%5Bupdate%5D%5B1%5D%5Btype%5D=company"
                + "&companies[delete][0][id]=22&contacts[restore][0][id]=12&contacts[add][0][id]=13"
                + "&contacts[note][0][note][element_id]=23&contacts[note][0][note][element_type]=3"
                + "&leads[update][0][id]=11&leads[update][0][last_modified]=102&unsorted[add][0][uid]=x&account[id]=31";

        WebhookPayload payload = WebhookPayload.parse(body, ROUTES).orElseThrow();

        assertThat(payload.events()).extracting(e -> e.entity() + " " + e.type() + ":" + e.id())
                .containsExactlyInAnyOrder("contacts update:11", "companies update:21", "companies delete:22",
                        "contacts restore:12", "contacts add:13", "companies note:23", "leads update:11");
    }

    @Test
    void aContactAndALeadWithTheSameIdAndTimeAreDifferentEvents() {
        String lead = "leads[update][0][id]=1&leads[update][0][last_modified]=100&account[id]=31";
        String contact = "contacts[update][0][id]=1&contacts[update][0][last_modified]=100&account[id]=31";

        assertThat(hash(lead)).isNotEqualTo(hash(contact));
    }

    @Test
    void aRepeatedDeliveryHashesTheSameAndTheNextChangeDifferently() {
        String first = "leads[update][0][id]=1&leads[update][0][last_modified]=100&account[id]=31";
        String repeated = "account[id]=31&leads[update][0][last_modified]=100&leads[update][0][id]=1";
        String later = "leads[update][0][id]=1&leads[update][0][last_modified]=101&account[id]=31";

        assertThat(hash(first)).isEqualTo(hash(repeated)).isNotEqualTo(hash(later));
    }

    @Test
    void eventsComeInTimeOrderAndThoseWithoutATimeStayAfterTheEventBeforeThem() {
        String body = "leads[update][0][id]=1&leads[update][0][last_modified]=300"
                + "&leads[status][0][id]=1&leads[status][0][last_modified]=100"
                + "&leads[delete][0][id]=2&leads[restore][0][id]=2&leads[delete][1][id]=2"
                + "&leads[add][0][id]=3&leads[add][0][last_modified]=200&account[id]=31";

        WebhookPayload payload = WebhookPayload.parse(body, ROUTES).orElseThrow();

        assertThat(payload.events()).extracting(e -> e.type() + ":" + e.id())
                .containsExactly("status:1", "delete:2", "restore:2", "delete:2", "add:3", "update:1");
        assertThat(payload.events()).extracting(e -> e.occurredAt().orElse(null))
                .containsExactly(100L, null, null, null, 200L, 300L);
    }

    @Test
    void aDeliveryIsOfTheAccountItNamesByIdElseBySubdomain() {
        WebhookPayload named = WebhookPayload.parse("leads[add][0][id]=1&account[subdomain]=north&account[id]=1001", ROUTES)
                .orElseThrow();
        WebhookPayload bySubdomain = WebhookPayload.parse("leads[add][0][id]=1&account[subdomain]=north", ROUTES).orElseThrow();
        WebhookPayload anonymous = WebhookPayload.parse("leads[add][0][id]=1", ROUTES).orElseThrow();

        assertThat(named.isOf(1001L, "north")).isTrue();
        assertThat(named.isOf(1002L, "north")).as("the id decides when both know it").isFalse();
        assertThat(named.isOf(null, "South")).isFalse();
        assertThat(named.isOf(null, "North")).isTrue();
        assertThat(bySubdomain.isOf(1001L, "north")).isTrue();
        assertThat(bySubdomain.isOf(1001L, "south")).isFalse();
        assertThat(named.isOf(null, null)).as("nothing to compare").isTrue();
        assertThat(anonymous.isOf(null, null)).as("a delivery naming no account is of none").isFalse();
    }

    @Test
    void anItemThatCannotBeReadIsSkippedAndTheOthersAreRead() {
        String body = "leads[update][0][id]=1&leads[update][0][last_modified]=100"
                + "&leads[update][1][id]=abc&leads[update][1][last_modified]=101"
                + "&leads[update][2][id]=3&leads[update][2][last_modified]=102"
                + "&contacts[update][0][name]=no id&leads[note][0][note][text]=no element&account[id]=31";

        WebhookPayload payload = WebhookPayload.parse(body, ROUTES).orElseThrow();

        assertThat(payload.events()).extracting(e -> e.type() + ":" + e.id()).containsExactly("update:1", "update:3");
        assertThat(payload.skipped()).extracting(item -> item.key() + ": " + item.reason()).containsExactly(
                "leads[update][1]: id 'abc' is not a number", "contacts[update][0]: no id",
                "leads[note][0]: no note.element_id");
        assertThat(payload.skipped().get(0).fields()).containsEntry("last_modified", "101");
    }

    @Test
    void aNulInAKeyOrAValueIsReplacedAsOnTheApiPath() {
        WebhookPayload payload = WebhookPayload
                .parse("leads[update][0][id]=1&leads[update][0][name]=a%00b&leads[update][0][x%00]=y&account[id]=31", ROUTES)
                .orElseThrow();

        assertThat(payload.events().get(0).fields()).containsEntry("name", "a\uFFFDb").containsEntry("x\uFFFD", "y")
                .allSatisfy((key, value) -> assertThat(key + value).doesNotContain("\0"));
    }

    @Test
    void whatIsNotAWebhookIsRefused() {
        assertThat(WebhookPayload.parse("", ROUTES)).isEmpty();
        assertThat(WebhookPayload.parse("{\"leads\": []}", ROUTES)).isEmpty();
        assertThat(WebhookPayload.parse("hello=world", ROUTES)).isEmpty();
        assertThat(WebhookPayload.parse("unsorted[add][0][uid]=x", ROUTES)).isEmpty();
    }

    private static String hash(String body) {
        return WebhookPayload.parse(body, ROUTES).orElseThrow().events().get(0).dedupeHash();
    }
}
