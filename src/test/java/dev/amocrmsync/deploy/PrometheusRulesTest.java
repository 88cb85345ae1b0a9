package dev.amocrmsync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped alert rules, checked and unit-tested by Prometheus' own {@code promtool} (Debian's {@code prometheus}
 * package; {@code .ci/run} installs it): every alert has a test where it fires and one where it stays silent.
 */
class PrometheusRulesTest {

    static final Path RULES = Path.of("src/main/prometheus/amocrm-sync.rules.yml");
    // the refresh token's test apart: its 61 days are evaluated every hour, the others every minute
    private static final List<Path> TESTS = List.of(Path.of("src/test/prometheus/amocrm-sync.rules.test.yml"),
            Path.of("src/test/prometheus/amocrm-sync.token.rules.test.yml"));

    @Test
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS: 9 rules found");
    }

    @Test
    void everyAlertFiresWhenItShouldAndStaysSilentWhenItShouldNot() throws Exception {
        assertThat(promtool("test", "rules", TESTS.get(0).toString(), TESTS.get(1).toString()))
                .doesNotContain("FAILED").contains("SUCCESS");
    }

    @Test
    void everyAlertIsTestedBothWays() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : list(load(RULES).get("groups"))) {
            list(group.get("rules")).forEach(rule -> alerts.add((String) rule.get("alert")));
        }
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Path file : TESTS) {
            for (Map<String, Object> test : list(load(file).get("tests"))) {
                for (Map<String, Object> check : list(test.get("alert_rule_test"))) {
                    (list(check.get("exp_alerts")).isEmpty() ? silent : firing).add((String) check.get("alertname"));
                }
            }
        }
        assertThat(alerts).hasSize(9).allMatch(alert -> alert.startsWith("AmocrmSync"));
        assertThat(firing).as("alerts tested firing").isEqualTo(alerts);
        assertThat(silent).as("alerts tested silent").isEqualTo(alerts);
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path yaml) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(yaml));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
