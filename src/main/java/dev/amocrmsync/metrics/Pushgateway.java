package dev.amocrmsync.metrics;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;

/**
 * A one-shot sync's figures, pushed to the Pushgateway as it ends ({@code AMOCRM_METRICS_PUSHGATEWAY}), grouped by job
 * and account. A POST ({@code pushAdd}): the metrics this push carries replace those of the same name in the group,
 * and the others stay. So the time of the last 429, pushed only by a run that met one, survives the runs after it for
 * the "rate limited in the last hour" alert; a PUT would drop it with the next run's push.
 */
@Singleton
public class Pushgateway {

    private final MetricsConfig config;
    private final AccountTag account;
    private final LastRun lastRun;
    private final StoredFigures figures;
    private final PrometheusMeterRegistry registry;
    /** Where to push, read once from {@code AMOCRM_METRICS_PUSHGATEWAY}; empty when unset or not a URL. */
    private final Optional<PushgatewayAddress> address;

    Pushgateway(MetricsConfig config, AccountTag account, LastRun lastRun, StoredFigures figures,
            PrometheusMeterRegistry registry) {
        this.config = config;
        this.account = account;
        this.lastRun = lastRun;
        this.figures = figures;
        this.registry = registry;
        this.address = config.pushgateway().flatMap(PushgatewayAddress::of);
    }

    /** A hint when the Pushgateway refused who asked (simpleclient reports the status only in the message). */
    private static String unauthorized(Exception e, PushgatewayAddress gateway) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("Response code from ") || !(message.contains(" was 401") || message.contains(" was 403"))) {
            return "";
        }
        return gateway.user().isPresent()
                ? ". It refused the user and password in AMOCRM_METRICS_PUSHGATEWAY: check them"
                : ". It asks for basic auth: put the user and password in AMOCRM_METRICS_PUSHGATEWAY"
                        + " (https://user:password@host:9091)";
    }

    /**
     * The sync's own figures ({@code amocrm_sync_*}): the JVM's of a process that is gone would only linger in the
     * Pushgateway, and clash there with its own {@code process_*}.
     */
    private CollectorRegistry syncFiguresOnly() {
        CollectorRegistry figures = new CollectorRegistry();
        figures.register(new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return Collections.list(registry.getPrometheusRegistry()
                        .filteredMetricFamilySamples(name -> name.startsWith("amocrm_sync_")));
            }
        });
        return figures;
    }

    /** What is wrong with the Pushgateway's setting, for the settings a run checks before it touches anything. */
    public List<String> problems() {
        return config.pushgateway().isPresent() && address.isEmpty() ? List.of(PushgatewayAddress.PROBLEM) : List.of();
    }

    /** The run ended with this exit code: pushes every figure, the stored ones read again; a failed push is logged. */
    public void ended(int exitCode) {
        lastRun.exited(exitCode);
        if (address.isEmpty()) {
            // unset, or not a URL: the run has already stopped on that as an invalid setting (problems())
            return;
        }
        try {
            VertxContextSupport.subscribeAndAwait(figures::refresh);
        } catch (Throwable e) {
            Log.debugf("Figures not read from the database: %s", e.getMessage());
        }
        PushgatewayAddress gateway = address.get();
        try {
            gateway.client().pushAdd(syncFiguresOnly(), config.job(), Map.of("account", account.account()));
        } catch (IOException | RuntimeException e) {
            // host and port only, and the exception's class, never its message: the URL may carry a password
            Log.warnf("Metrics not pushed to the Pushgateway at %s (%s); Prometheus will not see this run%s",
                    gateway.named(), e.getClass().getSimpleName(), unauthorized(e, gateway));
        }
    }
}
