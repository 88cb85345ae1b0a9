package dev.amocrmsync.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand. */
public final class SettableClock extends Clock {

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

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
