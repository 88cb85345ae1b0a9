package dev.amocrmsync.amocrm;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How to reach the amoCRM account and how hard to push it. Environment names: {@code AMOCRM_*}. */
@ConfigMapping(prefix = "amocrm")
public interface AmoCrmConfig {

    /** The account's subdomain, {@code geodrive} for https://geodrive.amocrm.ru. No default. */
    Optional<String> subdomain();

    /** Full account URL, overriding the one derived from the subdomain (kommo.com, amocrm.com, a proxy). No default. */
    Optional<URI> baseUrl();

    /** Long-lived token of a private integration; never printed. No default. */
    Optional<String> accessToken();

    /**
     * Requests per second to the account, shared by every process on the same database; amoCRM allows 7 in any
     * sliding second. Any eight requests of a process leave at least seven intervals apart, 1.17 s at 6/s: 50 ms of the
     * margin go to the network's jitter, the rest to what happens between leaving and arriving (a connection being
     * opened, a busy event loop: measured here, one request in a hundred arrives 70 ms or more later than the others
     * after leaving, which 6.25/s could not absorb). Lowered by itself after a 429, recovering slowly. Default 6.
     */
    @WithDefault("6")
    double requestsPerSecond();

    /** TCP connect timeout. Default 10s. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Time to wait for a whole answer. Default 60s. */
    @WithDefault("60s")
    Duration readTimeout();

    /** Leads per page; the API maximum is 250. Default 250. */
    @WithDefault("250")
    int pageSize();

    /** Retries of transient failures (5xx, timeouts, 429). */
    Retry retry();

    /** The circuit breaker that stops hammering a failing API. */
    CircuitBreaker circuitBreaker();

    interface Retry {
        /** Retries per call after the first attempt. Default 8. */
        @WithDefault("8")
        int maxRetries();

        /** First backoff delay, doubled per retry with jitter. Default 1s. */
        @WithDefault("1s")
        Duration initialDelay();

        /** Longest single backoff delay. Default 30s. */
        @WithDefault("30s")
        Duration maxDelay();

        /** Longest time spent retrying one call before giving up. Default 5m. */
        @WithDefault("5m")
        Duration maxDuration();
    }

    interface CircuitBreaker {
        /** Calls in the rolling window the failure ratio is computed over. Default 20. */
        @WithDefault("20")
        int requestVolume();

        /** Ratio of failed calls in the window that opens the breaker. Default 0.5. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before a trial call. Default 30s. */
        @WithDefault("30s")
        Duration delay();
    }
}
