package dev.amocrmsync.amocrm;

/**
 * The requests per second to aim at, adapting to amoCRM as TCP adapts to a network (AIMD): a 429 halves the pace at
 * once; every answered request wins a little back. The pace a 429 came at is remembered, and recovery stops short of it,
 * creeping past only very slowly: an account whose real limit is lower than configured earns a few 429s, then none.
 */
final class Pace {

    /** Never slower than one request every two seconds: a run must still end. */
    static final double FLOOR = 0.5;
    /** Answers it takes to win the whole configured pace back from zero, one step per answer. */
    private static final double ANSWERS_TO_RECOVER = 100;
    /** Answers it takes the remembered ceiling to creep back up to the configured pace. */
    private static final double ANSWERS_TO_FORGET = 20_000;
    /** A 429 at some pace: the account's limit is below it, assume by a tenth. */
    private static final double BELOW_THE_429 = 0.9;
    /** 429s within a second of the one that halved the pace answer the same burst: halve once per burst. */
    private static final long SAME_BURST_NANOS = 1_000_000_000L;

    private final double target;
    private double current;
    private double ceiling;
    private long lastHalvedAt = System.nanoTime() - SAME_BURST_NANOS;

    Pace(double target) {
        this.target = Math.max(FLOOR, target);
        this.current = this.target;
        this.ceiling = this.target;
    }

    /** The configured pace, requests per second: never exceeded. */
    double target() {
        return target;
    }

    /** The pace now, requests per second. */
    synchronized double current() {
        return current;
    }

    /** amoCRM answered 429: halve the pace, and stay below the pace that earned it. Returns the new pace. */
    synchronized double throttled() {
        long now = System.nanoTime();
        if (now - lastHalvedAt < SAME_BURST_NANOS) {
            return current;
        }
        lastHalvedAt = now;
        ceiling = Math.max(FLOOR, Math.min(ceiling, current * BELOW_THE_429));
        current = Math.max(FLOOR, current / 2);
        return current;
    }

    /** amoCRM answered without a 429: a small step back up. Returns the new pace. */
    synchronized double answered() {
        ceiling = Math.min(target, ceiling + target / ANSWERS_TO_FORGET);
        current = Math.min(ceiling, current + target / ANSWERS_TO_RECOVER);
        return current;
    }
}
