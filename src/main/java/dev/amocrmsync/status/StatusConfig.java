package dev.amocrmsync.status;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * When {@code amocrm-sync status} calls the mirror stale or failing: environment names {@code AMOCRM_STATUS_*}. The
 * period is a setting, not read from {@code AMOCRM_SYNC_CRON}: in a CronJob (the usual deployment) the schedule lives
 * in the manifest, where the application cannot see it.
 */
@ConfigMapping(prefix = "amocrm.status")
public interface StatusConfig {

    /** How often a sync runs: the CronJob's schedule, or serve's cron. Default 5 minutes. */
    @WithDefault("5m")
    Duration schedule();

    /** Stale (exit 10) when no run has succeeded for this many schedule periods. Default 3. */
    @WithDefault("3")
    int stalePeriods();

    /** Failing (exit 11) when this many of the latest runs failed in a row. Default 2. */
    @WithDefault("2")
    int failingRuns();
}
