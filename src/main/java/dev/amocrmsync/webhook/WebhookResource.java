package dev.amocrmsync.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
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

import dev.amocrmsync.store.WebhookEventStore;
import dev.amocrmsync.sync.Serving;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Receives amoCRM webhooks in {@code serve}. amoCRM does not sign them, so the URL carries a secret; a wrong secret
 * looks like no endpoint at all. Events are stored and answered at once (amoCRM wants 2xx within 2 seconds, and
 * disables a hook after 100 bad answers in 2 hours); a malformed delivery gets a 400 and is kept with the reason; if
 * the database cannot take the events in time they are still acknowledged, because the scheduled sync heals anything
 * a webhook missed.
 */
@Path("/webhooks/amocrm")
public class WebhookResource {

    /** Each statement of storing a delivery; PostgreSQL cancels it after this and the transaction rolls back. */
    private static final Duration STORE_WITHIN = Duration.ofMillis(1_200);
    /** amoCRM counts a delivery not answered within 2 seconds as failed. */
    private static final Duration ANSWER_WITHIN = Duration.ofMillis(1_500);

    private final WebhookConfig config;
    private final WebhookEventStore store;
    private final WebhookBacklog backlog;
    private final Serving serving;
    private final ObjectMapper json;
    private final Optional<String> subdomain;

    WebhookResource(WebhookConfig config, WebhookEventStore store, WebhookBacklog backlog, Serving serving,
            ObjectMapper json, @ConfigProperty(name = "amocrm.subdomain") Optional<String> subdomain) {
        this.config = config;
        this.store = store;
        this.backlog = backlog;
        this.serving = serving;
        this.json = json;
        this.subdomain = subdomain;
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

    /** The single-account URL of earlier versions; the payload's {@code account[subdomain]} is still checked. */
    @POST
    @Path("{secret}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> receive(@PathParam("secret") String secret, String body) {
        if (!serving.serving() || !secretMatches(secret)) {
            return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).build());
        }
        Optional<WebhookPayload> payload = WebhookPayload.parse(body);
        if (payload.isEmpty()) {
            return rejected(body, "not an amoCRM webhook: no account and no lead, contact or company event with a"
                    + " numeric id");
        }
        if (!payload.get().isFor(subdomain)) {
            return rejected(body, "a webhook of account " + payload.get().account().get("subdomain") + ", not of "
                    + subdomain.get());
        }
        List<WebhookEventStore.NewEvent> events = payload.get().events().stream()
                .map(event -> new WebhookEventStore.NewEvent(event.entity(), event.type(), event.id(),
                        event.dedupeHash(), event.occurredAt().orElse(null), payloadOf(payload.get(), event)))
                .toList();
        Uni<Integer> storing = store.record(events, STORE_WITHIN)
                .invoke(stored -> backlog.received())
                .onFailure().invoke(failure -> Log.errorf("Webhook acknowledged but not stored (%s); the next"
                        + " scheduled sync picks the change up", failure.getMessage()));
        return detached(storing)
                .ifNoItem().after(ANSWER_WITHIN).recoverWithItem(() -> {
                    Log.warn("Webhook acknowledged before its events were stored: the database is slow");
                    return 0;
                })
                .onFailure().recoverWithItem(0)
                .replaceWith(Response.ok("ok").build());
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
        return store.recordMalformed(String.valueOf(body), reason)
                .onFailure().recoverWithNull()
                .replaceWith(Response.status(Response.Status.BAD_REQUEST).entity(reason).build());
    }

    private ObjectNode payloadOf(WebhookPayload payload, WebhookPayload.EntityEvent event) {
        ObjectNode node = json.createObjectNode();
        node.set("account", json.valueToTree(payload.account()));
        node.set(event.entity(), json.valueToTree(event.fields()));
        return node;
    }

    private boolean secretMatches(String given) {
        return config.secret().filter(expected -> !expected.isBlank())
                .map(expected -> MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        String.valueOf(given).getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }
}
