package dev.amocrmsync.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code serve} is ready while its mirror is fresh: a sync succeeded within {@code amocrm.sync.stale-after}, or the
 * process is younger than that. The database half of readiness is Quarkus' own datasource check.
 */
@Readiness
@ApplicationScoped
public class SyncFreshness implements HealthCheck {

    private final Serving serving;
    private final ScheduledSync scheduled;
    private final SyncConfig config;
    private final Clock clock;

    SyncFreshness(Serving serving, ScheduledSync scheduled, SyncConfig config, Clock clock) {
        this.serving = serving;
        this.scheduled = scheduled;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("amocrm-sync freshness");
        if (!serving.serving() || "off".equalsIgnoreCase(config.cron().trim())) {
            return response.up().withData("schedule", serving.serving() ? "off" : "not serving").build();
        }
        Instant now = clock.instant();
        Instant reference = scheduled.lastSuccess().orElse(serving.since().orElse(now));
        Duration age = Duration.between(reference, now);
        scheduled.lastSuccess().ifPresent(at -> response.withData("last_success", at.toString()));
        scheduled.lastFailure().ifPresent(failure -> response.withData("last_failure", failure));
        scheduled.lastReport().ifPresent(report -> report.entities().forEach(entity -> response
                .withData("last_run_" + entity.entity(), entity.summary())));
        response.withData("stale_after", config.staleAfter().toString());
        return response.status(age.compareTo(config.staleAfter()) <= 0).build();
    }
}
