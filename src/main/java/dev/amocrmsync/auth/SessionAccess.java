package dev.amocrmsync.auth;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.amocrmsync.amocrm.AccountAccess;
import dev.amocrmsync.session.SessionConfig;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Login/password mode: requests go to the browser-session service, whose {@code /api/v4} passes them to the account
 * with its logged-in session. After a 401 it is asked to log in again, once.
 */
final class SessionAccess implements AccountAccess {

    static final String SECRET_HEADER = "X-Session-Secret";

    private final SessionConfig config;
    private final SessionServiceApi service;

    SessionAccess(SessionConfig config) {
        this.config = config;
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.url())
                .connectTimeout(config.healthTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
        config.secret().ifPresent(secret -> builder.clientHeadersFactory((incoming, outgoing) -> {
            jakarta.ws.rs.core.MultivaluedMap<String, String> headers = new jakarta.ws.rs.core.MultivaluedHashMap<>();
            headers.putSingle(SECRET_HEADER, secret);
            return headers;
        }));
        this.service = builder.build(SessionServiceApi.class);
    }

    /** Fails with what to do when the service is not there, as the original script did, but telling the way out. */
    Uni<Void> checkHealth() {
        return service.health()
                .ifNoItem().after(config.healthTimeout()).fail()
                .onFailure().transform(failure -> new SessionServiceUnavailable("The browser-session service at "
                        + config.url() + " does not answer (" + reason(failure) + "). Start it with"
                        + " `amocrm-sync session-service` (systemd: systemctl start amocrm-session), or set"
                        + " AMOCRM_ACCESS_TOKEN to use the amoCRM API directly"))
                .invoke(health -> {
                    if (!health.path("ok").asBoolean(false)) {
                        throw new SessionServiceUnavailable("The browser-session service at " + config.url()
                                + " cannot reach amoCRM: " + health.path("error").asText("no reason given")
                                + ". Fix it there (see its log), or set AMOCRM_ACCESS_TOKEN");
                    }
                })
                .replaceWithVoid();
    }

    @Override
    public URI baseUri() {
        return config.url();
    }

    @Override
    public Uni<Map<String, String>> requestHeaders() {
        return Uni.createFrom().item(config.secret().map(secret -> Map.of(SECRET_HEADER, secret)).orElse(Map.of()));
    }

    @Override
    public Uni<Boolean> renewAfterRejection() {
        return service.relogin()
                .map(answer -> answer.path("ok").asBoolean(false))
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("The session service could not log in again: %s", reason(failure));
                    return false;
                });
    }

    @Override
    public String rejectionAdvice() {
        return "The browser-session service's login was refused: check AMOCRM_EMAIL and AMOCRM_PASSWORD of the service"
                + " and its /health, or set AMOCRM_ACCESS_TOKEN";
    }

    @Override
    public String describe() {
        return "login/password through the session service at " + config.url();
    }

    private static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
