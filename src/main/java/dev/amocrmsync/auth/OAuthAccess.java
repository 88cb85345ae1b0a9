package dev.amocrmsync.auth;

import java.net.URI;
import java.util.Map;

import dev.amocrmsync.amocrm.AccountAccess;
import io.smallrye.mutiny.Uni;

/** OAuth mode: the stored access token, refreshed before it expires and once after a 401. */
final class OAuthAccess implements AccountAccess {

    private final URI account;
    private final OAuthTokens tokens;
    private volatile String lastSent;

    OAuthAccess(URI account, OAuthTokens tokens) {
        this.account = account;
        this.tokens = tokens;
    }

    @Override
    public URI baseUri() {
        return account;
    }

    @Override
    public Uni<Map<String, String>> requestHeaders() {
        return tokens.accessToken().map(token -> {
            lastSent = token;
            return bearer(token);
        });
    }

    /**
     * The token held now (the newest, should another request have refreshed it meanwhile): a request the budget let
     * go is not held for a refresh its wait brought within {@code AMOCRM_OAUTH_REFRESH_BEFORE} (issue 21: seven
     * requests waited for one and left together with it).
     */
    @Override
    public Uni<Map<String, String>> headersWithoutWaiting() {
        String token = tokens.heldAccessToken();
        if (token == null) {
            return requestHeaders();
        }
        lastSent = token;
        return Uni.createFrom().item(bearer(token));
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Override
    public Uni<Boolean> renewAfterRejection() {
        return tokens.renewAfterRejection(lastSent).replaceWith(true);
    }

    @Override
    public String rejectionAdvice() {
        return "amoCRM refused a freshly refreshed OAuth token: the integration may have been disabled or its access"
                + " revoked. Authorize it again: amocrm-sync oauth --code <code>";
    }

    @Override
    public String describe() {
        return "OAuth, " + account;
    }
}
