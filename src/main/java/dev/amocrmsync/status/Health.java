package dev.amocrmsync.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The verdict of a status, and why, in words an operator acts on. */
@RegisterForReflection
public record Health(Verdict verdict, List<String> reasons) {

    /** Worst first: a status takes the worst that applies; each has its exit code. */
    public enum Verdict {
        /** The latest runs failed in a row ({@code AMOCRM_STATUS_FAILING_RUNS}). */
        FAILING,
        /** No run has ever succeeded on this schema. */
        NEVER_SYNCED,
        /** No run has succeeded for {@code AMOCRM_STATUS_STALE_PERIODS} schedule periods. */
        STALE,
        /** Fresh, but items are set aside in {@code sync_quarantine}. */
        QUARANTINED,
        HEALTHY
    }

    /**
     * Judges what was read.
     *
     * @param sinceSuccess how long ago the last successful run ended, null when none did
     */
    static Health judge(StatusReport.Run lastSuccess, int failuresInRow, StatusReport.Run lastFailure,
            long quarantined, StatusConfig config) {
        Duration staleAfter = config.schedule().multipliedBy(config.stalePeriods());
        List<String> reasons = new ArrayList<>();
        Verdict verdict = Verdict.HEALTHY;
        if (failuresInRow >= config.failingRuns() && lastFailure != null) {
            verdict = Verdict.FAILING;
            reasons.add(failuresInRow + " runs in a row did not succeed; the latest, run #" + lastFailure.id() + ", "
                    + lastFailure.status() + (lastFailure.error() == null ? "" : ": " + lastFailure.error()));
        }
        if (lastSuccess == null) {
            verdict = worse(verdict, Verdict.NEVER_SYNCED);
            reasons.add("no sync has succeeded on this database yet: run amocrm-sync (or check the CronJob or"
                    + " serve's log)");
        } else if (lastSuccess.ageSeconds() != null && lastSuccess.ageSeconds() > staleAfter.toSeconds()) {
            verdict = worse(verdict, Verdict.STALE);
            reasons.add("the last successful run, #" + lastSuccess.id() + ", ended " + Ages.of(lastSuccess.ageSeconds())
                    + " ago, more than " + config.stalePeriods() + " periods of " + Ages.of(config.schedule().toSeconds())
                    + " (AMOCRM_STATUS_SCHEDULE × AMOCRM_STATUS_STALE_PERIODS)");
        }
        if (quarantined > 0) {
            verdict = worse(verdict, Verdict.QUARANTINED);
            reasons.add(quarantined + " items set aside in sync_quarantine: every run reads them again; see their"
                    + " reasons there");
        }
        if (verdict == Verdict.HEALTHY) {
            reasons.add("the last successful run, #" + lastSuccess.id() + ", ended " + Ages.of(lastSuccess.ageSeconds())
                    + " ago");
        }
        return new Health(verdict, List.copyOf(reasons));
    }

    private static Verdict worse(Verdict current, Verdict candidate) {
        return candidate.ordinal() < current.ordinal() ? candidate : current;
    }
}
