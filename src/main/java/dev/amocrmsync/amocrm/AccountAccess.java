package dev.amocrmsync.amocrm;

import java.net.URI;
import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * Where requests go and what they carry, for the access mode in use (long-lived token, OAuth, or the browser-session
 * service). Implemented by the {@code auth} package.
 */
public interface AccountAccess {

    /** The account URL, or the session service's URL whose {@code /api/v4} passes through to the account. */
    URI baseUri();

    /** Headers every request carries: {@code Authorization: Bearer ...}, or the session service's shared secret. */
    Uni<Map<String, String>> requestHeaders();

    /**
     * The headers as they stand, without refreshing or asking anything: for a request the budget
     * has let go, which must not wait on amoCRM (the requests let go meanwhile would leave together once it answered).
     * A token that expired meanwhile earns a 401, and {@link #renewAfterRejection()} follows.
     */
    default Uni<Map<String, String>> headersWithoutWaiting() {
        return requestHeaders();
    }

    /** After a 401: refresh the OAuth token or have the session service log in again. True when worth one retry. */
    Uni<Boolean> renewAfterRejection();

    /** What to tell the operator when credentials are refused for good; names the setting, never its value. */
    String rejectionAdvice();

    /** The mode in one line, such as {@code API token} or {@code session service at http://localhost:3002}. */
    String describe();
}
