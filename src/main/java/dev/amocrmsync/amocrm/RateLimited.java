package dev.amocrmsync.amocrm;

import java.time.Duration;

/** 429: amoCRM asks us to slow down for {@link #retryAfter()}. Repeated 429s get the account blocked. */
public final class RateLimited extends AmoCrmException {

    private final Duration retryAfter;

    public RateLimited(Duration retryAfter, String message) {
        super(429, message, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public RateLimited forRequest(String request) {
        return new RateLimited(retryAfter, getMessage() + " (" + request + ")");
    }
}
