package dev.amocrmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.mirror.WindowProgress;
import dev.amocrmsync.scan.Plan;

class PlannerTest {

    private static final long NOW = 1_750_000_000L;
    private static final long OVERLAP = 300;

    private final SyncConfig config = new TestSyncConfig();

    @Test
    void theVeryFirstRunReadsTheLookBack() {
        Planner.Decision decision = Planner.decide(SyncRequest.incremental(), SyncState.EMPTY, Optional.empty(), false, NOW,
                config);

        assertThat(decision.plans()).containsExactly(Plan.fresh(NOW - Duration.ofDays(7).toSeconds(), NOW, true));
        assertThat(decision.lastSync()).isEmpty();
    }

    @Test
    void aDatabaseTheOriginalScriptFilledContinuesFromItsNewestDeal() {
        Planner.Decision decision = Planner.decide(SyncRequest.incremental(), SyncState.EMPTY, Optional.of(NOW - 999L), true,
                NOW, config);

        assertThat(decision.plans()).containsExactly(Plan.fresh(NOW - 999 - OVERLAP, NOW, true));
        assertThat(decision.lastSync()).contains(NOW - 999);
    }

    @Test
    void laterRunsStartFromTheCursorMinusTheOverlap() {
        SyncState state = new SyncState(Optional.of(NOW - 600), Optional.of(NOW - 600), Optional.empty());

        Planner.Decision decision = Planner.decide(SyncRequest.incremental(), state, Optional.of(NOW - 5_000L), true, NOW,
                config);

        assertThat(decision.plans()).containsExactly(Plan.fresh(NOW - 600 - OVERLAP, NOW, true));
        assertThat(decision.eventsFrom()).isEqualTo(NOW - 600 - OVERLAP);
    }

    @Test
    void aCursorAheadOfAmoCrmsClockIsNotTrustedAndTheLookBackIsReadAgain() {
        // an older version on a host 8 minutes fast stored "now - 1" of that host
        SyncState state = new SyncState(Optional.of(NOW + 480), Optional.of(NOW + 480), Optional.empty());

        Planner.Decision decision = Planner.decide(SyncRequest.incremental(), state, Optional.of(NOW - 60L), true, NOW, config);

        assertThat(decision.plans()).containsExactly(Plan.fresh(NOW - Duration.ofDays(7).toSeconds(), NOW, true));
        assertThat(decision.eventsFrom()).isEqualTo(NOW - Duration.ofDays(7).toSeconds());
        assertThat(decision.basis()).contains("ahead of amoCRM's clock");
    }

    @Test
    void anUnfinishedPlanReachingBeyondAmoCrmsClockIsDropped() {
        List<WindowProgress> windows = List.of(new WindowProgress(1, NOW - 100, NOW + 400, NOW - 50, List.of(), false));
        SyncState state = new SyncState(Optional.of(NOW - 100), Optional.empty(),
                Optional.of(new SyncState.Plan(NOW - 100, NOW + 400, windows)));

        Planner.Decision decision = Planner.decide(SyncRequest.incremental(), state, Optional.empty(), false, NOW, config);

        assertThat(decision.plans()).containsExactly(Plan.fresh(NOW - Duration.ofDays(7).toSeconds(), NOW, true));
    }

    @Test
    void aSinceAfterAmoCrmsPresentIsNothingToRead() {
        Planner.Decision decision = Planner.decide(SyncRequest.since(Instant.ofEpochSecond(NOW + 60)), SyncState.EMPTY,
                Optional.empty(), false, NOW, config);

        assertThat(decision.plans()).isEmpty();
    }

    @Test
    void anUnfinishedPlanIsResumedBeforeNewChangesAreRead() {
        List<WindowProgress> windows = List.of(new WindowProgress(1, NOW - 9_000, NOW - 5_000, NOW - 7_000, List.of(), false));
        SyncState state = new SyncState(Optional.of(NOW - 8_700), Optional.empty(),
                Optional.of(new SyncState.Plan(NOW - 9_000, NOW - 5_000, windows)));

        Planner.Decision decision = Planner.decide(SyncRequest.incremental(), state, Optional.empty(), false, NOW, config);

        assertThat(decision.plans()).containsExactly(new Plan(NOW - 9_000, NOW - 5_000, windows, true),
                Plan.fresh(NOW - 5_000 - OVERLAP, NOW, true));
    }

    @Test
    void sinceBeforeTheCursorMovesItButSinceAfterItCannot() {
        SyncState state = new SyncState(Optional.of(NOW - 1_000), Optional.of(NOW - 1_000), Optional.empty());

        Planner.Decision earlier = Planner.decide(SyncRequest.since(Instant.ofEpochSecond(NOW - 5_000)), state,
                Optional.empty(), false, NOW, config);
        Planner.Decision later = Planner.decide(SyncRequest.since(Instant.ofEpochSecond(NOW - 500)), state,
                Optional.empty(), false, NOW, config);

        assertThat(earlier.plans()).containsExactly(Plan.fresh(NOW - 5_000, NOW, true));
        assertThat(later.plans()).containsExactly(Plan.fresh(NOW - 500, NOW, false));
        assertThat(later.advancesEvents()).isFalse();
    }

    @Test
    void fullReadsEverything() {
        Planner.Decision decision = Planner.decide(SyncRequest.full(), SyncState.EMPTY, Optional.empty(), false, NOW, config);

        assertThat(decision.plans()).containsExactly(Plan.fresh(0, NOW, true));
        assertThat(decision.eventsFrom()).isZero();
    }

    /** The defaults of {@link SyncConfig}, without booting Quarkus. */
    record TestSyncConfig() implements SyncConfig {
        public String cron() {
            return "off";
        }

        public boolean runAtStart() {
            return false;
        }

        public Duration lookBack() {
            return Duration.ofDays(7);
        }

        public Duration overlap() {
            return Duration.ofSeconds(OVERLAP);
        }

        public int parallelism() {
            return 4;
        }

        public java.util.List<String> entities() {
            return java.util.List.of("leads", "contacts", "companies", "catalogs");
        }

        public Duration staleAfter() {
            return Duration.ofHours(1);
        }

        public Duration stopGrace() {
            return Duration.ofSeconds(20);
        }

        public Duration progressEvery() {
            return Duration.ofSeconds(10);
        }

        public Duration lockStuckAfter() {
            return Duration.ofHours(1);
        }
    }
}
