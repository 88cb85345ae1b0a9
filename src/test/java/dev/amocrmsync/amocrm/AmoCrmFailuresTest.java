package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/**
 * A 429's pause, in every form amoCRM or a proxy in front of it gives one, is capped (issue 19): a proxy's
 * {@code Retry-After: 3600} used to stall every process of the account for an hour, across restarts.
 */
class AmoCrmFailuresTest {

    @Test
    void aRetryAfterHeaderOfAnHourPausesAMinute() {
        assertThat(retryAfter(Response.status(429).header("Retry-After", "3600").type("application/problem+json")
                .entity("{\"title\":\"Too Many Requests\",\"status\":429}").build())).isEqualTo(Duration.ofSeconds(60));
        assertThat(retryAfter(Response.status(429).header("Retry-After", "99999999999999999999").build()))
                .as("a number no long holds").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterInJsonOfAnHourPausesAMinute() {
        assertThat(retryAfter(Response.status(429).type("application/problem+json")
                .entity("{\"title\":\"Too Many Requests\",\"status\":429,\"retry_after\":3600}").build()))
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shortPausesAreKeptAndAnHtml429PausesASecond() {
        assertThat(retryAfter(Response.status(429).header("Retry-After", "2").build())).isEqualTo(Duration.ofSeconds(2));
        assertThat(retryAfter(Response.status(429).type("text/html").entity("<html><body>429</body></html>").build()))
                .isEqualTo(Duration.ofSeconds(1));
    }

    private static Duration retryAfter(Response response) {
        return ((RateLimited) AmoCrmFailures.fromResponse(response)).retryAfter();
    }
}
