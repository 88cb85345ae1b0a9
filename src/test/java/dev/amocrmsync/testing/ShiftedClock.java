package dev.amocrmsync.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The host's clock moved by an offset a test can change: amoCRM's clock, which is not the host's. */
public final class ShiftedClock extends Clock {

    private volatile Duration offset;

    public ShiftedClock(Duration offset) {
        this.offset = offset;
    }

    public void shift(Duration offset) {
        this.offset = offset;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
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
