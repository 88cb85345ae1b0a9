package dev.amocrmsync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.SimulatorResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * The shipped alert rules and dashboard against the real Prometheus server and Pushgateway (Debian's), fed by the
 * packaged one-shot sync as a CronJob runs it: a run with amoCRM down pushes its exit code and the failing alert fires;
 * a good run resolves it; every dashboard query parses and returns series. The test's copy of the rules shortens every
 * {@code for:} to 1s (nothing else changes), so one run is enough where production waits for three.
 */
class PrometheusIT {

    private static final Duration EXIT = Duration.ofSeconds(120);
    private static final Duration ALERT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final List<Process> started = new ArrayList<>();
    private static Path dir;
    private static int pushgateway;
    private static int prometheus;

    @BeforeAll
    static void startPrometheusAndThePushgateway() throws IOException {
        dir = Files.createTempDirectory(Path.of("target"), "prometheus-").toAbsolutePath();
        pushgateway = freePort();
        prometheus = freePort();
        String rules = Files.readString(PrometheusRulesTest.RULES).replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 1s");
        Files.writeString(dir.resolve("rules.yml"), rules);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - rules.yml
                scrape_configs:
                  # as a Pushgateway must be scraped: the pushed job and account labels are kept
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(pushgateway));
        start("pushgateway", "prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + pushgateway);
        start("prometheus", "prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheus);
        PackagedApp.await("Prometheus and the Pushgateway answer", Duration.ofSeconds(60),
                () -> answers(prometheus, "/-/ready") && answers(pushgateway, "/-/ready"));
    }

    @AfterAll
    static void stopThem() {
        started.forEach(Process::destroy);
    }

    @Test
    void aFailingSyncFiresItsAlertAGoodOneResolvesItAndEveryDashboardQueryReturnsSeries() throws Exception {
        TestDatabase.emptied();
        SimulatedAccount account = SimulatorResource.serve(SimulatedAccount.withLeads(601, 120, Duration.ofDays(2)));
        Map<String, String> settings = SimulatorResource.processSettings(PostgresResource.databaseUrl());
        settings.put("AMOCRM_METRICS_PUSHGATEWAY", "http://127.0.0.1:" + pushgateway);
        settings.put("AMOCRM_RETRY_INITIAL_DELAY", "10ms");
        settings.put("AMOCRM_RETRY_MAX_DELAY", "50ms");
        settings.put("AMOCRM_RETRY_MAX_DURATION", "1s");
        settings.put("QUARKUS_HTTP_PORT", "0");
        settings.put("QUARKUS_MANAGEMENT_PORT", "0");
        URI amoCrm = URI.create(settings.get("AMOCRM_BASE_URL"));
        String label = amoCrm.getHost() + ":" + amoCrm.getPort();

        // every request from the first on: amoCRM down
        account.faults().failFrom(1, 503);
        PackagedApp down = PackagedApp.start(settings);
        assertThat(down.exitCode(EXIT)).as(down.output()).isEqualTo(6);
        PackagedApp.await("AmocrmSyncFailing fires", ALERT, () -> firing(label).contains("AmocrmSyncFailing"));

        account.faults().reset();
        // one 429 on the way: the rate-limited alert and the 429 panel have something to show
        account.faults().throttleNext(1, 1, true);
        PackagedApp good = PackagedApp.start(settings);
        assertThat(good.exitCode(EXIT)).as(good.output()).isZero();
        PackagedApp.await("AmocrmSyncFailing resolves", ALERT, () -> !firing(label).contains("AmocrmSyncFailing")
                && firing(label).contains("AmocrmSyncRateLimited"));
        assertThat(firing(label)).doesNotContain("AmocrmSyncStale");

        // the names the rules use are the application's own, as pushed
        Set<String> pushed = new TreeSet<>();
        query("group by (__name__) ({account=\"" + label + "\"})")
                .forEach(series -> pushed.add(series.get("metric").get("__name__").asText()));
        assertThat(pushed).containsAll(names(Files.readString(PrometheusRulesTest.RULES)));

        for (String expr : dashboardQueries()) {
            assertThat(query(expr.replace("$account", ".+"))).as(expr).isNotEmpty();
        }
    }

    @Test
    void aPushgatewaySettingThatIsNoUrlStopsTheRunBeforeAnythingIsTouchedWithoutItsPassword() {
        TestDatabase.emptied();
        SimulatorResource.serve(SimulatedAccount.withLeads(602, 10, Duration.ofDays(1)));
        Map<String, String> settings = SimulatorResource.processSettings(PostgresResource.databaseUrl());
        // a space in the host: not a URL
        settings.put("AMOCRM_METRICS_PUSHGATEWAY", "http://sync:fake-push-password@push gateway:" + pushgateway);
        long requests = SimulatorResource.server().stats().requests();

        PackagedApp run = PackagedApp.start(settings);

        assertThat(run.exitCode(EXIT)).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("AMOCRM_METRICS_PUSHGATEWAY is not an http(s) URL")
                .doesNotContain("fake-push-password");
        assertThat(SimulatorResource.server().stats().requests()).isEqualTo(requests);
        assertThat(TestDatabase.db().value("SELECT to_regclass('public.sync_runs')")).isNull();
    }

    /** The names of the alerts firing for this account. */
    private static Set<String> firing(String account) {
        Set<String> names = new TreeSet<>();
        for (JsonNode alert : get(prometheus, "/api/v1/alerts").get("data").get("alerts")) {
            if (alert.get("state").asText().equals("firing")
                    && alert.get("labels").path("account").asText().equals(account)) {
                names.add(alert.get("labels").get("alertname").asText());
            }
        }
        return names;
    }

    /** The series an instant query returns; a query Prometheus cannot parse fails the test. */
    private static List<JsonNode> query(String expr) {
        JsonNode answer = get(prometheus, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        assertThat(answer.get("status").asText()).as(expr + ": " + answer).isEqualTo("success");
        List<JsonNode> series = new ArrayList<>();
        answer.get("data").get("result").forEach(series::add);
        return series;
    }

    private static List<String> dashboardQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        JsonNode dashboard = JSON.readTree(Path.of("src/main/grafana/amocrm-sync.json").toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            panel.get("targets").forEach(target -> queries.add(target.get("expr").asText()));
        }
        assertThat(queries).hasSizeGreaterThan(10);
        return queries;
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher name = Pattern.compile("amocrm_sync_[a-z_]+").matcher(text);
        while (name.find()) {
            names.add(name.group());
        }
        return names;
    }

    private static JsonNode get(int port, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(path + " on " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean answers(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void start(String name, String... command) throws IOException {
        File log = dir.resolve(name + ".log").toFile();
        started.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log)
                .start());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
