package dev.amocrmsync.amocrm;

/**
 * A failed call to amoCRM, typed by what the caller should do about it. Messages name the request (never its
 * credentials) and what the operator can do next.
 */
public abstract sealed class AmoCrmException extends RuntimeException
        permits AmoCrmUnavailable, RateLimited, Unauthorized, AccountBlocked, RequestRejected, MalformedResponse {

    private final int status;

    protected AmoCrmException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the call never got one (timeout, reset, parse error). */
    public int status() {
        return status;
    }

    /** The same failure, re-described with the request it answered. */
    public abstract AmoCrmException forRequest(String request);
}
