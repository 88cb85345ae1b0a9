package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class EightSpanTest {

    private static final long MS = 1_000_000;

    @Test
    void sevenRequestsLeaveAtOnceAndTheEighthWaitsUntilSevenIntervalsAfterTheFirst() {
        AtomicLong now = new AtomicLong(1_000 * MS);
        EightSpan span = new EightSpan(7, now::get);

        for (int i = 0; i < 7; i++) {
            assertThat(span.take()).isZero();
            now.addAndGet(10 * MS);
        }

        // the first left at 1000 ms; seven intervals at 7/s is one second
        assertThat(span.take()).isEqualTo(Duration.ofMillis(930));
        now.set(2_000 * MS);
        assertThat(span.take()).isZero();
    }

    @Test
    void aLateRequestHoldsTheSeventhAfterItBackByItsLatenessOnly() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(6.25, now::get);
        long interval = 160 * MS;

        // slots every interval; the first request's timer fired 40 ms late, the others on time
        now.set(40 * MS);
        assertThat(span.take()).isZero();
        for (int i = 1; i < 7; i++) {
            now.set(i * interval);
            assertThat(span.take()).isZero();
        }
        now.set(7 * interval);
        Duration wait = span.take();

        assertThat(wait).isEqualTo(Duration.ofMillis(40));
        now.addAndGet(wait.toNanos());
        assertThat(span.take()).isZero();
        now.set(8 * interval);
        assertThat(span.take()).as("the one after is on its slot again").isZero();
    }

    @Test
    void aWaitTakesNothingSoATimerThatFiresLateCountsFromWhenTheRequestReallyLeft() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(7, now::get);
        for (int i = 0; i < 7; i++) {
            span.take();
        }
        assertThat(span.take()).isEqualTo(Duration.ofSeconds(1));

        now.set(1_300 * MS); // the timer fired 300 ms late
        assertThat(span.take()).isZero();
        for (int i = 0; i < 6; i++) {
            span.take();
        }
        assertThat(span.take()).as("seven after the late one, not after when it was due").isEqualTo(Duration.ofSeconds(1));
    }
}
