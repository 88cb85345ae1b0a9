package dev.amocrmsync.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.mirror.WindowProgress;

/** The share of a scan's range read, from where its windows stand: what the progress line and {@code status} show. */
class CoverageTest {

    @Test
    void aWindowHasReadUpToItsCursorSecond() {
        Coverage coverage = Coverage.of(List.of(Plan.fresh(0, 99, true)));

        coverage.advanced(new WindowProgress(1, 0, 99, 25, List.of(7L), false));

        assertThat(coverage.total()).isEqualTo(100);
        assertThat(coverage.fraction()).isEqualTo(0.25);
    }

    @Test
    void aSplitWindowIsCountedOnceWhileItsOldEndIsStillReported() {
        Coverage coverage = Coverage.of(List.of(Plan.fresh(0, 99, true)));
        coverage.advanced(new WindowProgress(1, 0, 99, 30, List.of(), false));

        // window 2 takes [60, 99]; window 1 has not reported its shorter range yet
        coverage.advanced(new WindowProgress(2, 60, 99, 70, List.of(), false));

        assertThat(coverage.read()).isEqualTo(30 + 10);
    }

    @Test
    void doneWindowsCoverTheirWholeRangeAndTheNextPlanNumbersFromOneAgain() {
        Coverage coverage = Coverage.of(List.of(Plan.fresh(0, 99, true), Plan.fresh(95, 199, true)));
        coverage.advanced(new WindowProgress(1, 0, 99, 99, List.of(), true));

        coverage.advanced(new WindowProgress(1, 95, 199, 150, List.of(), false));

        assertThat(coverage.total()).isEqualTo(200);
        assertThat(coverage.read()).isEqualTo(150);
    }

    @Test
    void aResumedPlanStartsWithWhatItsSavedWindowsRead() {
        Plan resumed = new Plan(0, 99, List.of(new WindowProgress(1, 0, 49, 49, List.of(), true),
                new WindowProgress(2, 50, 99, 60, List.of(), false)), true);

        assertThat(Coverage.of(List.of(resumed)).fraction()).isEqualTo(0.6);
    }

    @Test
    void nothingToReadIsAllRead() {
        assertThat(Coverage.of(List.of()).fraction()).isEqualTo(1.0);
    }
}
