package dev.amocrmsync.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.amocrmsync.amocrm.AmoCrmClock;
import dev.amocrmsync.mirror.StorableText;
import dev.amocrmsync.sync.AccountRecord;
import dev.amocrmsync.sync.MirroredAccount;
import dev.amocrmsync.sync.MirroredEntities;
import dev.amocrmsync.sync.Serving;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Receives amoCRM webhooks in {@code serve}. amoCRM does not sign them, so the URL carries a secret; a wrong secret
 * looks like no endpoint at all. A 2xx means every event of the delivery is durably stored: amoCRM delivers again
 * anything not answered 2xx within 2 seconds, so a delivery the database could not take in time is answered 503 and
 * comes back (a repeat of what did get stored is dropped). A delivery of another account is refused (403), a malformed
 * one refused (400) and kept with the reason, one too large refused whole (413); an item that cannot be read is set
 * aside and the rest of its delivery stored.
 */
@Path("/webhooks/amocrm")
public class WebhookResource {

    /**
     * Each statement of storing a delivery; PostgreSQL cancels it after this and the transaction rolls back. Short
     * enough that a store left behind by the answer ends soon; one that still commits after a 503 only makes amoCRM's
     * next delivery of it a repeat.
     */
    private static final Duration STORE_WITHIN = Duration.ofMillis(1_200);
    /**
     * amoCRM counts a delivery not answered within 2 seconds as failed; the rest of those 2 seconds is for the way
     * back. A store still running then is answered 503: amoCRM delivers again rather than lose it.
     */
    private static final Duration ANSWER_WITHIN = Duration.ofMillis(1_500);

    private final WebhookConfig config;
    private final WebhookEventStore store;
    private final WebhookBacklog backlog;
    private final Serving serving;
    private final ObjectMapper json;
    private final Optional<String> subdomain;
    private final MirroredAccount mirrored;
    private final AmoCrmClock amoCrmClock;
    private final WebhookMetrics metrics;
    private final WebhookRoutes routes;

    WebhookResource(WebhookConfig config, WebhookEventStore store, WebhookBacklog backlog, Serving serving,
            ObjectMapper json, @ConfigProperty(name = "amocrm.subdomain") Optional<String> subdomain,
            MirroredAccount mirrored, AmoCrmClock amoCrmClock, WebhookMetrics metrics, MirroredEntities entities) {
        this.routes = WebhookRoutes.of(entities.known());
        this.config = config;
        this.store = store;
        this.backlog = backlog;
        this.serving = serving;
        this.json = json;
        this.subdomain = subdomain;
        this.mirrored = mirrored;
        this.amoCrmClock = amoCrmClock;
        this.metrics = metrics;
    }

    /**
     * The URL that names the account, {@code /webhooks/amocrm/{subdomain}/{secret}}: with one {@code serve} per account
     * (a schema each), a hook registered for one account can never land in another's tables.
     */
    @POST
    @Path("{account}/{secret}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> receiveForAccount(@PathParam("account") String account, @PathParam("secret") String secret,
            String body) {
        if (subdomain.filter(configured -> configured.equalsIgnoreCase(account)).isEmpty()) {
            return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).build());
        }
        return receive(secret, body);
    }

    /** The single-account URL of earlier versions; the payload's account is checked all the same. */
    @POST
    @Path("{secret}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> receive(@PathParam("secret") String secret, String body) {
        long arrived = System.nanoTime();
        if (!serving.serving() || !secretMatches(secret)) {
            return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).build());
        }
        // a form is ASCII: its length in characters is its size in bytes
        long size = body == null ? 0 : body.length();
        if (size > config.maxBodySize().asLongValue()) {
            Log.errorf("Webhook refused: %d bytes, over AMOCRM_WEBHOOK_MAX_BODY_SIZE (%d bytes). amoCRM delivers it"
                    + " again and disables the hook after 100 refusals in 2 hours: raise the limit (and"
                    + " QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE above it)", size, config.maxBodySize().asLongValue());
            metrics.answered(WebhookMetrics.Outcome.TOO_LARGE);
            return Uni.createFrom().item(Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                    .entity("larger than AMOCRM_WEBHOOK_MAX_BODY_SIZE").build());
        }
        Optional<WebhookPayload> parsed = WebhookPayload.parse(body, routes);
        if (parsed.isEmpty()) {
            return rejected(body, "not an amoCRM webhook: no account and no item of a mirrored entity");
        }
        WebhookPayload payload = parsed.get();
        if (payload.accountId().isEmpty() && payload.accountSubdomain().isEmpty()) {
            return rejected(body, "names no account (account[id], account[subdomain])");
        }
        if (!payload.isOf(null, subdomain.orElse(null))) {
            return otherAccount(payload, "AMOCRM_SUBDOMAIN " + subdomain.orElse("?"));
        }
        // the receiving process's reading of amoCRM's clock, a second up: the Date header it is taken from is
        // truncated to the second and was written before the answer travelled, so the reading lags a little
        Long arrivedAt = amoCrmClock.now().map(now -> now.getEpochSecond() + 1).orElse(null);
        Uni<Response> storing = mirrored.recorded().chain(schema -> {
            if (schema.isPresent() && !payload.isOf(schema.get().accountId(), schema.get().subdomain())) {
                return otherAccount(payload, "this schema's account " + schema.get().subdomain() + " (id "
                        + schema.get().accountId() + ")");
            }
            Long accountId = payload.accountId().orElse(schema.map(AccountRecord.Mirrored::accountId).orElse(null));
            return store(payload, accountId, arrivedAt);
        });
        // reading a large delivery takes time too: the answer is due ANSWER_WITHIN after the body arrived
        Duration left = ANSWER_WITHIN.minusNanos(System.nanoTime() - arrived);
        return detached(storing)
                .ifNoItem().after(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
                .recoverWithItem(() -> notStored(payload, "not stored within " + ANSWER_WITHIN.toMillis()
                        + " ms of its arrival"))
                .onFailure().recoverWithItem(failure -> notStored(payload, failure.getMessage()))
                .invoke(response -> {
                    if (response.getStatus() == Response.Status.OK.getStatusCode()) {
                        metrics.answered(WebhookMetrics.Outcome.STORED);
                    }
                });
    }

    private Uni<Response> store(WebhookPayload payload, Long accountId, Long arrivedAt) {
        String accountSubdomain = payload.accountSubdomain().orElse(null);
        List<WebhookEventStore.NewEvent> events = payload.events().stream()
                .map(event -> new WebhookEventStore.NewEvent(event.entity(), event.type(), event.id(),
                        event.dedupeHash(), event.occurredAt().orElse(null), arrivedAt, accountId, accountSubdomain,
                        payloadOf(payload, event.entity(), event.fields())))
                .toList();
        List<WebhookEventStore.SkippedItem> skipped = payload.skipped().stream()
                .map(item -> new WebhookEventStore.SkippedItem("webhook item " + item.key() + " skipped: " + item.reason(),
                        payloadOf(payload, item.key(), item.fields())))
                .toList();
        return store.record(events, skipped, STORE_WITHIN)
                .invoke(stored -> {
                    backlog.received();
                    payload.skipped().forEach(item -> {
                        metrics.skipped(item.list());
                        Log.warnf("Webhook item %s of account %s skipped (%s); the other %d events of the delivery are"
                                + " stored. It is kept in amocrm_webhook_events (event_type 'malformed'); the next sync"
                                + " reads the item if it changed", item.key(), payload.describeAccount(), item.reason(),
                                events.size());
                    });
                })
                .replaceWith(() -> Response.ok("ok").build());
    }

    private Response notStored(WebhookPayload payload, String reason) {
        metrics.answered(WebhookMetrics.Outcome.NOT_STORED);
        Log.errorf("Webhook of account %s answered 503, not stored (%s): amoCRM delivers it again. Check the database;"
                + " amoCRM disables the hook after 100 such answers in 2 hours", payload.describeAccount(), reason);
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity("not stored: deliver again").build();
    }

    private Uni<Response> otherAccount(WebhookPayload payload, String ours) {
        metrics.answered(WebhookMetrics.Outcome.OTHER_ACCOUNT);
        Log.errorf("Webhook refused: a delivery of account %s, not of %s. Nothing of it is stored or applied: point"
                + " that account's hook at its own serve (a schema of its own, AMOCRM_DB_SCHEMA)",
                payload.describeAccount(), ours);
        return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN)
                .entity("a webhook of another account").build());
    }

    /**
     * The store's work runs to its end even when the answer does not wait for it: cancelling a transaction midway
     * would leave it open on its connection, and the connection out of the pool.
     */
    private static <T> Uni<T> detached(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail));
    }

    private Uni<Response> rejected(String body, String reason) {
        Log.warnf("Webhook refused: %s", reason);
        metrics.answered(WebhookMetrics.Outcome.MALFORMED);
        return store.recordMalformed(StorableText.of(String.valueOf(body)), reason)
                .onFailure().recoverWithNull()
                .replaceWith(Response.status(Response.Status.BAD_REQUEST).entity(reason).build());
    }

    private ObjectNode payloadOf(WebhookPayload payload, String name, Map<String, String> fields) {
        ObjectNode node = json.createObjectNode();
        node.set("account", json.valueToTree(payload.account()));
        node.set(name, json.valueToTree(fields));
        return node;
    }

    private boolean secretMatches(String given) {
        return config.secret().filter(expected -> !expected.isBlank())
                .map(expected -> MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        String.valueOf(given).getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }
}
