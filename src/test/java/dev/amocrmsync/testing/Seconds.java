package dev.amocrmsync.testing;

/** The simulated amoCRM's clocks are shifted by whole minutes, so its seconds turn with the host's. */
public final class Seconds {

    private Seconds() {
    }

    /**
     * Waits until the next second has begun: a run reads up to amoCRM's current second minus one, so what a test
     * changed in this second is seen by a run that starts in the next (a native binary starts within the second).
     */
    public static void awaitNext() {
        long millis = System.currentTimeMillis();
        try {
            Thread.sleep(1_000 - millis % 1_000 + 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
