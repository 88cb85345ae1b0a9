package dev.amocrmsync.amocrm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * amoCRM's clock, as the {@code Date} header of its answers tells it. Cursors and expiry times are amoCRM times
 * ({@code updated_at} of what we read is stamped by amoCRM), so they are compared with this clock, never with the
 * host's: CronJob pods land on nodes whose clocks are minutes apart.
 * <p>
 * The header has one-second resolution and is written before the answer travels, so {@code Date - local receipt time}
 * underestimates the offset by up to a second plus the latency. That errs on the safe side: a bound taken from this
 * clock is never ahead of amoCRM's. Of recent readings the largest offset is the tightest such estimate.
 */
@ApplicationScoped
public class AmoCrmClock {

    /** How long a reading stays the reference before a newer, smaller one may replace it (clocks get corrected). */
    private static final long READING_LIFETIME_MILLIS = 60_000;

    private static final Duration DATE_RESOLUTION = Duration.ofSeconds(1);

    private final Clock host;
    private volatile Reading reading;

    private record Reading(long offsetMillis, long atHostMillis) {
    }

    public AmoCrmClock(Clock host) {
        this.host = host;
    }

    /** Notes an answer's {@code Date} header (RFC 1123); ignores a missing or unreadable one. */
    public void observe(String dateHeader) {
        if (dateHeader == null || dateHeader.isBlank()) {
            return;
        }
        long serverMillis;
        try {
            serverMillis = ZonedDateTime.parse(dateHeader.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return;
        }
        long now = host.millis();
        Reading next = new Reading(serverMillis - now, now);
        Reading current = reading;
        if (current == null || next.offsetMillis() >= current.offsetMillis()
                || now - current.atHostMillis() > READING_LIFETIME_MILLIS) {
            reading = next;
        }
    }

    /** amoCRM's current time, when an answer has told it. */
    public Optional<Instant> now() {
        Reading current = reading;
        return current == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(host.millis() + current.offsetMillis()));
    }

    /** amoCRM's current time, or the host's before amoCRM has answered at all (only for what is not a cursor). */
    public Instant nowOrHost() {
        return now().orElseGet(host::instant);
    }

    /**
     * The latest amoCRM's clock may read now: the estimate plus the {@code Date} header's second it may have dropped.
     * For what must not be late by amoCRM's clock (refreshing a token before it expires); the host's before amoCRM has
     * answered.
     */
    public Instant latestOrHost() {
        return now().map(estimate -> estimate.plus(DATE_RESOLUTION)).orElseGet(host::instant);
    }

    /** Seconds amoCRM's clock is ahead of this host's (negative: behind), when known. */
    public Optional<Long> offsetSeconds() {
        Reading current = reading;
        return current == null ? Optional.empty() : Optional.of(Math.round(current.offsetMillis() / 1000.0));
    }
}
