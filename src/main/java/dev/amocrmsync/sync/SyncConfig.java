package dev.amocrmsync.sync;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What a sync run reads and how: environment names {@code AMOCRM_SYNC_*}. */
@ConfigMapping(prefix = "amocrm.sync")
public interface SyncConfig {

    /**
     * What a run mirrors ({@code AMOCRM_SYNC_ENTITIES}, comma-separated): {@code all}, or any of the entities
     * ({@code leads}, {@code contacts}, {@code companies}, {@code tasks}, the notes of each, {@code status_history})
     * and {@code catalogs} (users, custom fields, pipelines, loss reasons, tags). Default all.
     */
    @WithDefault("all")
    List<String> entities();

    /** When {@code serve} syncs (Quartz cron, seconds first); {@code off} disables the schedule. Default every 5 minutes. */
    @WithDefault("0 0/5 * * * ?")
    String cron();

    /** Whether {@code serve} syncs once right after start, before the first cron tick. Default true. */
    @WithDefault("true")
    boolean runAtStart();

    /** How far back the very first run reads when the table is empty. Default 7 days. */
    @WithDefault("7d")
    Duration lookBack();

    /** How much before the last cursor each run re-reads, for clock skew between amoCRM's servers. Default 5 minutes. */
    @WithDefault("5m")
    Duration overlap();

    /**
     * Time windows of a large range read at once, within the request budget: 7 requests/s at 250 ms each need fewer
     * than 2 in flight, and every extra window costs a partial page. Default 3.
     */
    @WithDefault("3")
    int parallelism();

    /**
     * In {@code serve}, the health group {@code /q/health/group/sync} goes down and {@code amocrm_sync_stale} turns 1
     * when no sync has succeeded for this long, so a stuck mirror shows on the dashboard and in alerts (readiness stays
     * up: webhooks need only the database). Default 1 hour.
     */
    @WithDefault("1h")
    Duration staleAfter();

    /**
     * A run that finds the lock held longer than this reports it as stuck (exit 9, an error, a metric) instead of
     * quietly yielding: no run takes this long. Default 1 hour (the CronJob's deadline is 50 minutes).
     */
    @WithDefault("1h")
    Duration lockStuckAfter();

    /**
     * How often a run tells how far its reading has got (the share of the range read and an estimate of the time left)
     * as a plain log line; on a terminal the same line is redrawn in place after every page instead. 0 for a line per
     * page. Default 10 seconds.
     */
    @WithDefault("10s")
    Duration progressEvery();

    /** After SIGTERM, how long the page in flight may take to commit before the run is abandoned. Default 20s. */
    @WithDefault("20s")
    Duration stopGrace();
}
