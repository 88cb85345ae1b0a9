package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The pace's AIMD: halve on a 429, win back a little per answer, stay below the pace that earned the 429. */
class PaceTest {

    @Test
    void startsAtTheConfiguredPace() {
        assertThat(new Pace(6).current()).isEqualTo(6);
    }

    @Test
    void aThrottleHalvesThePaceOncePerBurst() {
        Pace pace = new Pace(6);

        pace.throttled();
        pace.throttled();
        pace.throttled();

        assertThat(pace.current()).as("the 429s of one burst answer the same excess").isEqualTo(3);
    }

    @Test
    void answersWinThePaceBackSlowlyAndOnlyUpToBelowThePaceThatWasThrottled() {
        Pace pace = new Pace(6);
        pace.throttled();

        for (int i = 0; i < 10; i++) {
            pace.answered();
        }
        assertThat(pace.current()).as("ten answers win back a tenth of the pace").isCloseTo(3.6, within(0.05));

        for (int i = 0; i < 200; i++) {
            pace.answered();
        }
        assertThat(pace.current()).as("recovery stops short of the 6/s that earned the 429, creeping past it slowly")
                .isLessThan(6).isGreaterThan(5.4);

        for (int i = 0; i < 20_000; i++) {
            pace.answered();
        }
        assertThat(pace.current()).as("a 429 is forgotten after long enough").isEqualTo(6);
    }

    @Test
    void neverSlowerThanTheFloor() {
        Pace pace = new Pace(1);
        pace.throttled();

        assertThat(pace.current()).isEqualTo(Pace.FLOOR);
        assertThat(new Pace(0).current()).isEqualTo(Pace.FLOOR);
    }
}
