package dev.amocrmsync.testing;

import java.time.Instant;

/** A clock the test moves by hand. */
public final class SettableClock extends UtcClock {

    private volatile Instant now;

    public SettableClock(long epochSecond) {
        this.now = Instant.ofEpochSecond(epochSecond);
    }

    public void set(long epochSecond) {
        now = Instant.ofEpochSecond(epochSecond);
    }

    public void advance(long seconds) {
        now = now.plusSeconds(seconds);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
