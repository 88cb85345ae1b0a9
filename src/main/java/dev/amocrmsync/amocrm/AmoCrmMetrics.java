package dev.amocrmsync.amocrm;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the process asked of amoCRM and how it answered, for the 3 a.m. question "is it us or them": requests by
 * outcome, the 429s among them, and the retries the guard made.
 */
@Singleton
public class AmoCrmMetrics {

    private final MeterRegistry registry;
    private final Counter retries;
    private final AtomicLong lastRateLimited = new AtomicLong();

    AmoCrmMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = Counter.builder("amocrm_sync_retries").description("amoCRM calls retried after a transient failure")
                .register(registry);
    }

    /** The pace the request budget aims at now. */
    void pace(Supplier<Number> requestsPerSecond) {
        Gauge.builder("amocrm_sync_request_pace", requestsPerSecond)
                .description("requests per second the budget aims at now: lowered after a 429, recovering slowly")
                .register(registry);
    }

    /**
     * Whether the process paces itself alone on a share of the pace because the shared budget in PostgreSQL failed,
     * and how many reservations of it failed.
     */
    void sharedBudget(RequestBudget budget) {
        Gauge.builder("amocrm_sync_request_budget_alone", budget, b -> b.pacingAloneAfterAFailure() ? 1 : 0)
                .description("1 while this process paces itself alone, on its share of the pace, because the account's"
                        + " shared request budget in PostgreSQL failed (refused, slow or locked)")
                .register(registry);
        FunctionCounter.builder("amocrm_sync_request_budget_failures", budget, RequestBudget::sharedBudgetFailures)
                .description("reservations of the shared request budget that failed or took over a second")
                .register(registry);
    }

    void answered() {
        requests("ok");
    }

    void failed(Throwable failure) {
        requests(outcome(failure));
        if (failure instanceof RateLimited) {
            lastRateLimited.set(System.currentTimeMillis() / 1000);
            // registered at the first 429: a one-shot sync that met none pushes no such series, and the Pushgateway
            // keeps the earlier run's (see metrics.Pushgateway)
            Gauge.builder("amocrm_sync_last_rate_limited_timestamp_seconds", lastRateLimited, AtomicLong::get)
                    .description("when amoCRM last answered 429 Too Many Requests to this process (unix seconds)")
                    .register(registry);
        }
    }

    void retried() {
        retries.increment();
    }

    private void requests(String outcome) {
        Counter.builder("amocrm_sync_requests").description("HTTP requests sent to amoCRM, by how they ended")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** A small fixed set of tag values: one time series per kind of answer, never per status code or message. */
    private static String outcome(Throwable failure) {
        if (failure instanceof RateLimited) {
            return "rate_limited";
        } else if (failure instanceof Unauthorized) {
            return "unauthorized";
        } else if (failure instanceof AccountBlocked) {
            return "blocked";
        } else if (failure instanceof RequestRejected) {
            return "rejected";
        } else if (failure instanceof MalformedResponse) {
            return "malformed";
        } else if (failure instanceof AmoCrmUnavailable) {
            return "unavailable";
        }
        return "error";
    }
}
