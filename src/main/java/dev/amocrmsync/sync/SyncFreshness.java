package dev.amocrmsync.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.health.api.HealthGroup;

/**
 * Whether {@code serve}'s mirror is fresh: a sync succeeded within {@code amocrm.sync.stale-after}, or the process is
 * younger than that. A health group of its own ({@code /q/health/group/sync}) and the gauge {@code amocrm_sync_stale},
 * for dashboards and alerts; never readiness: a stale mirror must not take the only pod out of its Service, or
 * webhooks (which need only the database) are refused until amoCRM disables the hook.
 */
@HealthGroup(SyncFreshness.GROUP)
@ApplicationScoped
@Startup
public class SyncFreshness implements HealthCheck {

    /** {@code /q/health/group/sync}. */
    public static final String GROUP = "sync";

    private final Serving serving;
    private final ScheduledSync scheduled;
    private final SyncConfig config;
    private final Clock clock;

    SyncFreshness(Serving serving, ScheduledSync scheduled, SyncConfig config, Clock clock, MeterRegistry registry) {
        this.serving = serving;
        this.scheduled = scheduled;
        this.config = config;
        this.clock = clock;
        Gauge.builder("amocrm_sync_stale", this, freshness -> freshness.stale() ? 1 : 0)
                .description("1 when serve's scheduled sync has not succeeded within AMOCRM_SYNC_STALE_AFTER, else 0")
                .register(registry);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("amocrm-sync freshness");
        if (!scheduling()) {
            return response.up().withData("schedule", serving.serving() ? "off" : "not serving").build();
        }
        scheduled.lastSuccess().ifPresent(at -> response.withData("last_success", at.toString()));
        scheduled.lastFailure().ifPresent(failure -> response.withData("last_failure", failure));
        scheduled.lastReport().ifPresent(report -> report.entities().forEach(entity -> response
                .withData("last_run_" + entity.entity(), entity.summary())));
        response.withData("stale_after", config.staleAfter().toString());
        return response.status(!stale()).build();
    }

    /** Whether serve syncs on a schedule and none succeeded within {@code stale-after} (nor since start, if younger). */
    boolean stale() {
        if (!scheduling()) {
            return false;
        }
        Instant now = clock.instant();
        Instant reference = scheduled.lastSuccess().orElse(serving.since().orElse(now));
        return Duration.between(reference, now).compareTo(config.staleAfter()) > 0;
    }

    private boolean scheduling() {
        return serving.serving() && !"off".equalsIgnoreCase(config.cron().trim());
    }
}
