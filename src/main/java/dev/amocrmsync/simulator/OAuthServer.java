package dev.amocrmsync.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The account's OAuth 2.0 token endpoint as amoCRM runs it: authorization codes and refresh tokens work once, a
 * consumed refresh token answers 401 "Token has been revoked", and the API accepts the access tokens it issued until
 * they expire. Its requests count against the account's request limit with the API's (amoCRM may count them so).
 */
public final class OAuthServer {

    private final String clientId;
    private final String clientSecret;
    private final Set<String> codes = ConcurrentHashMap.newKeySet();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> accessTokens = new ConcurrentHashMap<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final SimulatedAccount clock;
    private volatile long expiresIn = 86_400;
    private volatile Duration answerAfter = Duration.ZERO;

    private OAuthServer(String clientId, String clientSecret, SimulatedAccount clock) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    public static OAuthServer install(SimulatorServer server, String clientId, String clientSecret) {
        OAuthServer oauth = new OAuthServer(clientId, clientSecret, server.account());
        // counted as an API request is: amoCRM may count the token endpoint against the account's limit
        server.router().post("/oauth2/access_token").handler(BodyHandler.create())
                .handler(ctx -> server.counted(ctx, oauth::token, oauth.answerAfter));
        server.authenticateAlsoBy(oauth::accepts);
        return oauth;
    }

    /** What an admin gets in amoCRM when authorizing the integration: a code valid for one exchange. */
    public String issueCode() {
        String code = "code-" + UUID.randomUUID();
        codes.add(code);
        return code;
    }

    /** Every access token issued so far stops working, as when it reaches its 24 hours. */
    public void expireAccessTokens() {
        accessTokens.clear();
    }

    /** Every refresh token stops working, as when one is 3 months old or the integration is disabled. */
    public void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** The token endpoint answers this much later than the API's latency: a distant or busy authorization server. */
    public OAuthServer answerAfter(Duration delay) {
        this.answerAfter = delay;
        return this;
    }

    public OAuthServer expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** Successful refreshes so far. */
    public int refreshes() {
        return refreshes.get();
    }

    /** Refused token requests so far. */
    public int refused() {
        return refused.get();
    }

    boolean accepts(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        Long expiresAt = header != null && header.startsWith("Bearer ") ? accessTokens.get(header.substring(7)) : null;
        return expiresAt != null && expiresAt > clock.now();
    }

    private SimulatorServer.Reply token(RoutingContext ctx) {
        JsonObject request;
        try {
            request = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            request = null;
        }
        if (request == null || !clientId.equals(request.getString("client_id"))
                || !clientSecret.equals(request.getString("client_secret"))) {
            return refuse(401, "Client authentication failed");
        }
        String grant = request.getString("grant_type", "");
        boolean valid = switch (grant) {
            case "authorization_code" -> codes.remove(request.getString("code", ""));
            case "refresh_token" -> refreshTokens.remove(request.getString("refresh_token", ""));
            default -> false;
        };
        if (!valid) {
            return refuse(grant.equals("refresh_token") ? 401 : 400,
                    grant.equals("refresh_token") ? "Token has been revoked" : "Authorization code has expired");
        }
        if (grant.equals("refresh_token")) {
            refreshes.incrementAndGet();
        }
        String access = "access-" + UUID.randomUUID();
        String refresh = "refresh-" + UUID.randomUUID();
        accessTokens.put(access, clock.now() + expiresIn);
        refreshTokens.add(refresh);
        return new SimulatorServer.Reply(200, "application/json", new JsonObject().put("token_type", "Bearer")
                .put("expires_in", expiresIn).put("access_token", access).put("refresh_token", refresh).encode()
                .getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private SimulatorServer.Reply refuse(int status, String detail) {
        refused.incrementAndGet();
        return new SimulatorServer.Reply(status, "application/problem+json", new JsonObject()
                .put("title", status == 401 ? "Unauthorized" : "Bad Request")
                .put("type", "https://httpstatus.es/" + status).put("status", status).put("detail", detail)
                .encode().getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
