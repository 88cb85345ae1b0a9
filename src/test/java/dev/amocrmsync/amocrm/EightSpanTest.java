package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class EightSpanTest {

    private static final long MS = 1_000_000;
    private static final Duration ON_THE_WAY = Duration.ofSeconds(11);

    @Test
    void sevenRequestsLeaveAtOnceAndTheEighthWaitsUntilSevenIntervalsAfterTheFirst() {
        AtomicLong now = new AtomicLong(1_000 * MS);
        EightSpan span = new EightSpan(7, ON_THE_WAY, now::get);

        for (int i = 0; i < 7; i++) {
            assertThat(span.take(false)).isZero();
            now.addAndGet(10 * MS);
        }

        // the first left at 1000 ms; seven intervals at 7/s is one second
        assertThat(span.take(false)).isEqualTo(Duration.ofMillis(930));
        now.set(2_000 * MS);
        assertThat(span.take(false)).isZero();
    }

    @Test
    void aLateRequestHoldsTheSeventhAfterItBackByItsLatenessOnly() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(6.25, ON_THE_WAY, now::get);
        long interval = 160 * MS;

        // slots every interval; the first request's timer fired 40 ms late, the others on time
        now.set(40 * MS);
        assertThat(span.take(false)).isZero();
        for (int i = 1; i < 7; i++) {
            now.set(i * interval);
            assertThat(span.take(false)).isZero();
        }
        now.set(7 * interval);
        Duration wait = span.take(false);

        assertThat(wait).isEqualTo(Duration.ofMillis(40));
        now.addAndGet(wait.toNanos());
        assertThat(span.take(false)).isZero();
        now.set(8 * interval);
        assertThat(span.take(false)).as("the one after is on its slot again").isZero();
    }

    @Test
    void aWaitTakesNothingSoATimerThatFiresLateCountsFromWhenTheRequestReallyLeft() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(7, ON_THE_WAY, now::get);
        for (int i = 0; i < 7; i++) {
            span.take(false);
        }
        assertThat(span.take(false)).isEqualTo(Duration.ofSeconds(1));

        now.set(1_300 * MS); // the timer fired 300 ms late
        assertThat(span.take(false)).isZero();
        for (int i = 0; i < 6; i++) {
            span.take(false);
        }
        assertThat(span.take(false)).as("seven after the late one, not after when it was due").isEqualTo(Duration.ofSeconds(1));
    }

    /**
     * Issue 21: a request let go at 0 but written only at 650 ms (its connection's event loop was busy) landed beside
     * the six let go after it; counted from its release, the eighth could leave at 1,000 ms and eight arrived within
     * 900 ms. Counted from when it was written, the eighth waits until seven intervals after the oldest of the seven
     * on the wire.
     */
    @Test
    void aRequestHeldUpOnItsWayHoldsTheEighthBackFromWhenItWasWritten() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(7, ON_THE_WAY, now::get);
        assertThat(span.take(true)).isZero(); // held up on its way
        for (int i = 1; i <= 6; i++) {
            now.set(i * 100 * MS);
            assertThat(span.take(true)).isZero();
            span.departed();
        }
        now.set(650 * MS);
        span.departed(); // the held-up one, at last

        now.set(700 * MS);
        assertThat(span.take(true)).as("a second after the oldest of the seven written: 100 ms + 1 s")
                .isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void whileARequestIsOnItsWayItCountsAsLeavingNow() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(7, ON_THE_WAY, now::get);
        for (int i = 0; i < 6; i++) {
            now.set(i * 10 * MS);
            assertThat(span.take(true)).isZero(); // held up on their way
        }
        now.set(900 * MS);
        assertThat(span.take(true)).isZero();
        span.departed();

        now.set(1_100 * MS);
        assertThat(span.take(true)).as("let go a second ago, the six still count, as leaving now: seven with the one"
                + " written at 900 ms").isEqualTo(Duration.ofMillis(800));
        now.set(1_200 * MS);
        for (int i = 0; i < 6; i++) {
            span.departed();
        }
        now.set(1_300 * MS);
        assertThat(span.take(true)).as("written at 1,200 ms: the oldest of the seven is at 900 ms")
                .isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void sevenOnTheirWayHoldTheEighthUntilTheyAreWritten() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(7, ON_THE_WAY, now::get);
        for (int i = 0; i < 7; i++) {
            assertThat(span.take(true)).isZero();
        }
        now.set(5_000 * MS);
        assertThat(span.take(true)).as("none written yet: look again shortly").isEqualTo(Duration.ofMillis(5));

        span.departed();
        assertThat(span.take(true)).as("six still on their way and one just written").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRequestThatNeverReachesTheWireStopsCountingAfterItsConnectTimeout() {
        AtomicLong now = new AtomicLong(0);
        EightSpan span = new EightSpan(7, ON_THE_WAY, now::get);
        for (int i = 0; i < 7; i++) {
            span.take(true); // connections that will never open
        }
        now.set(ON_THE_WAY.toNanos() + MS);
        assertThat(span.take(true)).isZero();
    }
}
