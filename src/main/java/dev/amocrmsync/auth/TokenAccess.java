package dev.amocrmsync.auth;

import java.net.URI;
import java.util.Map;

import dev.amocrmsync.amocrm.AccountAccess;
import io.smallrye.mutiny.Uni;

/** A long-lived token: sent as is, nothing to renew when amoCRM refuses it. */
final class TokenAccess implements AccountAccess {

    private final URI account;
    private final String token;
    private final String advice;
    private final String description;

    TokenAccess(URI account, String token, String advice, String description) {
        this.account = account;
        this.token = token;
        this.advice = advice;
        this.description = description;
    }

    static TokenAccess longLived(URI account, String token) {
        return new TokenAccess(account, token,
                "AMOCRM_ACCESS_TOKEN was refused: it expired or was revoked. Create a new long-lived token in amoCRM"
                        + " (Settings > Integrations > your private integration > Keys and scopes) and set"
                        + " AMOCRM_ACCESS_TOKEN to it",
                "API token, " + account);
    }

    @Override
    public URI baseUri() {
        return account;
    }

    @Override
    public Uni<Map<String, String>> requestHeaders() {
        return Uni.createFrom().item(Map.of("Authorization", "Bearer " + token));
    }

    @Override
    public Uni<Boolean> renewAfterRejection() {
        return Uni.createFrom().item(false);
    }

    @Override
    public String rejectionAdvice() {
        return advice;
    }

    @Override
    public String describe() {
        return description;
    }
}
