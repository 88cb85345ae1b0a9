package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

/**
 * amoCRM's time from {@code Date} headers, whose second drops up to 999 ms: the estimate is never ahead of amoCRM (for
 * cursors), and its latest reading never behind (for expiries).
 */
class AmoCrmClockTest {

    private static final Instant HOST = Instant.parse("2026-12-06T10:00:00.300Z");

    @Test
    void anAnswerStampedLateInItsSecondLeavesTheEstimateBehindAndTheLatestAhead() {
        // amoCRM's clock is 7 minutes behind the host's and reads 09:53:00.950 as it answers
        Instant amoCrm = HOST.minus(Duration.ofMinutes(7)).plusMillis(650);
        AmoCrmClock clock = new AmoCrmClock(Clock.fixed(HOST, ZoneOffset.UTC));

        clock.observe(DateTimeFormatter.RFC_1123_DATE_TIME.format(amoCrm.atOffset(ZoneOffset.UTC)));

        assertThat(clock.now()).hasValueSatisfying(estimate -> assertThat(estimate).isBefore(amoCrm));
        assertThat(clock.latestOrHost()).isAfter(amoCrm).isBefore(amoCrm.plusSeconds(1));
        assertThat(clock.offsetSeconds()).contains(-420L);
    }

    @Test
    void beforeAnyAnswerTheHostsClockStandsIn() {
        AmoCrmClock clock = new AmoCrmClock(Clock.fixed(HOST, ZoneOffset.UTC));

        assertThat(clock.now()).isEmpty();
        assertThat(clock.latestOrHost()).isEqualTo(HOST);
    }
}
