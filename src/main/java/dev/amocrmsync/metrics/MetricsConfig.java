package dev.amocrmsync.metrics;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the figures go besides {@code /q/metrics}: a one-shot sync (the CronJob) exits before Prometheus could scrape
 * it, so it pushes them to a Prometheus Pushgateway as it ends.
 */
@ConfigMapping(prefix = "amocrm.metrics")
public interface MetricsConfig {

    /**
     * The Pushgateway a one-shot sync pushes to as it ends ({@code AMOCRM_METRICS_PUSHGATEWAY}, such as
     * {@code http://prometheus-pushgateway:9091}; behind basic auth {@code https://user:password@host:9091}); no push
     * when unset. No default. A string, checked by the sync itself: a value SmallRye Config cannot convert is quoted in
     * its message, and this one may hold a password.
     */
    Optional<String> pushgateway();

    /**
     * The {@code account} label of every figure and of the push's group ({@code AMOCRM_METRICS_ACCOUNT}). Default: the
     * account's host, {@code geodrive.amocrm.ru} for {@code AMOCRM_SUBDOMAIN=geodrive}.
     */
    Optional<String> account();

    /** The {@code job} label of the push's group ({@code AMOCRM_METRICS_JOB}). Default amocrm-sync. */
    @WithDefault("amocrm-sync")
    String job();

    /**
     * How often {@code serve} reads the figures kept in the database (last success, quarantine, webhook backlog, token
     * age) for {@code /q/metrics}; each run's end reads them too. Default 30s.
     */
    @WithDefault("30s")
    Duration refreshEvery();
}
