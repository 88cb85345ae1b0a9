package dev.amocrmsync.testing;

import java.time.Duration;
import java.time.Instant;

/** The host's clock moved by an offset a test can change: amoCRM's clock, which is not the host's. */
public final class ShiftedClock extends UtcClock {

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
}
