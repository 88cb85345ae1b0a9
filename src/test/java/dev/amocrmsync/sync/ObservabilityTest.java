package dev.amocrmsync.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.specification.RequestSpecification;

/**
 * What an operator sees of {@code serve}: Prometheus figures that move with the sync, a health group that says how
 * fresh the mirror is, and readiness that means "can take webhooks".
 */
@QuarkusTest
@TestProfile(ObservabilityTest.QuicklyStale.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class ObservabilityTest {

    public static class QuicklyStale implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("amocrm.sync.stale-after", "5s");
        }
    }

    @Inject
    Serving serving;

    @Inject
    ScheduledSync scheduled;

    @Inject
    DataSource dataSource;

    /** {@code /q/health} and {@code /q/metrics} answer on the management interface, apart from webhooks. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void metricsCountWhatTheSyncDidAndWhatAmoCrmAnswered() throws Throwable {
        new Db(dataSource).reset();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(41, 600, Duration.ofDays(2)));
        account.faults().throttleNext(1, 1, true);
        String before = metrics();

        VertxContextSupport.subscribeAndAwait(scheduled::runNow);

        String after = metrics();
        assertThat(delta(before, after, "amocrm_sync_leads_upserted_total{kind=\"new\"")).isEqualTo(600);
        assertThat(delta(before, after, "amocrm_sync_leads_read_total")).isEqualTo(600);
        assertThat(delta(before, after, "amocrm_sync_pages_total")).isGreaterThanOrEqualTo(3);
        assertThat(delta(before, after, "amocrm_sync_requests_total{outcome=\"rate_limited\"")).isEqualTo(1);
        assertThat(delta(before, after, "amocrm_sync_retries_total")).isEqualTo(1);
        assertThat(delta(before, after, "amocrm_sync_run_duration_seconds_count{outcome=\"succeeded\"")).isEqualTo(1);
        assertThat(value(after, "amocrm_sync_last_success_timestamp_seconds")).isPositive();
        assertThat(value(after, "amocrm_sync_lag_seconds")).isBetween(0.0, 30.0);
        // what alerts read, the database's figures among them (a CronJob beside serve shows through them)
        assertThat(value(after, "amocrm_sync_last_run_exit_code")).isZero();
        assertThat(value(after, "amocrm_sync_last_run_timestamp_seconds"))
                .isEqualTo(value(after, "amocrm_sync_last_success_timestamp_seconds"));
        assertThat(value(after, "amocrm_sync_failed_runs_in_a_row")).isZero();
        assertThat(value(after, "amocrm_sync_last_rate_limited_timestamp_seconds")).isPositive();
        assertThat(after).containsPattern("amocrm_sync_quarantined_items\\{account=\"[^\"]+\",entity=\"leads\"} 0.0")
                .contains("amocrm_sync_webhook_backlog_events{account=")
                .contains("amocrm_sync_oauth_refreshed_timestamp_seconds{account=");
    }

    @Test
    void aStaleMirrorShowsInItsOwnHealthGroupAndAMetricWhileReadinessStaysUp() throws Throwable {
        new Db(dataSource).reset();
        SimulatorResource.serve(SimulatedAccount.withLeads(42, 50, Duration.ofDays(1)));
        // the first REST Assured call starts Groovy, seconds on a loaded machine: not inside the stale window
        management().get("/q/health/live").then().statusCode(200);
        serving.start();
        VertxContextSupport.subscribeAndAwait(scheduled::runNow);

        management().get("/q/health/group/sync").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(value(metrics(), "amocrm_sync_stale")).isZero();

        Thread.sleep(5_500);
        // readiness is "can take webhooks": the database answers; a stale mirror must not take the pod out of its Service
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        management().get("/q/health/group/sync").then().statusCode(503)
                .body("checks.find { it.name == 'amocrm-sync freshness' }.status", equalTo("DOWN"));
        assertThat(value(metrics(), "amocrm_sync_stale")).isEqualTo(1);
        management().get("/q/health/live").then().statusCode(200);

        VertxContextSupport.subscribeAndAwait(scheduled::runNow);
        management().get("/q/health/group/sync").then().statusCode(200);
        assertThat(value(metrics(), "amocrm_sync_stale")).isZero();
    }

    @Test
    void thePublicPortAnswersNeitherHealthNorMetrics() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
        management().get("/q/health/live").then().statusCode(200);
    }

    private RequestSpecification management() {
        return given().port(management.getPort());
    }

    private String metrics() {
        return management().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /**
     * The value of the first sample named as {@code series} is, with the label it names (if any) among its own; every
     * sample carries the {@code account} label besides. 0 when absent.
     */
    private static double value(String metrics, String series) {
        String[] nameAndLabel = series.split("\\{", 2);
        String label = nameAndLabel.length == 2 ? "[^}]*" + Pattern.quote(nameAndLabel[1]) : "";
        Matcher sample = Pattern.compile("^" + Pattern.quote(nameAndLabel[0]) + "\\{account=\"[^\"]+\"" + label
                + "[^ ]* ([-0-9.eE+NaN]+)$", Pattern.MULTILINE).matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }
}
