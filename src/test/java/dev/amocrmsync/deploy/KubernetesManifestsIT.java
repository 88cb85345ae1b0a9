package dev.amocrmsync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests quarkus-kubernetes writes at package time ({@code target/kubernetes/kubernetes.yml}) are the ones
 * operators apply: read them as Kubernetes would and check what makes the sync safe to schedule.
 */
class KubernetesManifestsIT {

    private static List<Map<String, Object>> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readManifests() throws IOException {
        resources = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(Path.of("target/kubernetes/kubernetes.yml"))) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document != null) {
                    resources.add((Map<String, Object>) document);
                }
            }
        }
    }

    @Test
    void theOneShotSyncIsACronJobThatNeverOverlapsItself() {
        Map<String, Object> cronJob = resource("CronJob", "amocrm-sync");
        Map<String, Object> spec = map(cronJob, "spec");
        Map<String, Object> job = map(cronJob, "spec", "jobTemplate", "spec");

        assertThat(spec).containsEntry("schedule", "*/5 * * * *").containsEntry("concurrencyPolicy", "Forbid");
        assertThat(job).containsEntry("backoffLimit", 2).containsEntry("activeDeadlineSeconds", 3000);
        assertThat(map(job, "template", "spec")).containsEntry("restartPolicy", "Never")
                .containsEntry("terminationGracePeriodSeconds", 30);
    }

    @Test
    void theCronJobTakesSecretsFromASecretAndListensForItsProbes() {
        Map<String, Object> container = onlyContainer(map(resource("CronJob", "amocrm-sync"), "spec", "jobTemplate",
                "spec", "template", "spec"));

        assertThat(container.get("args")).as("no arguments: one incremental sync").isNull();
        assertThat(String.valueOf(container.get("envFrom"))).contains("secretRef").contains("name=amocrm-sync");
        // probes on the management interface, which the one-shot opens on every interface only in its pod
        assertThat(String.valueOf(container.get("env"))).contains("QUARKUS_MANAGEMENT_PORT").contains("value=9000")
                .contains("QUARKUS_MANAGEMENT_HOST").doesNotContain("QUARKUS_HTTP_HOST_ENABLED");
        assertThat(map(container, "livenessProbe", "httpGet")).containsEntry("path", "/q/health/live")
                .containsEntry("port", 9000);
        assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(map(container, "resources", "limits")).containsKey("memory");
    }

    @Test
    void serveAndTheSessionServiceRunAsDeploymentsWithProbes() {
        Map<String, Object> serve = onlyContainer(map(resource("Deployment", "amocrm-sync-serve"), "spec", "template",
                "spec"));
        Map<String, Object> session = onlyContainer(map(resource("Deployment", "amocrm-sync-session"), "spec",
                "template", "spec"));

        assertThat(serve.get("args")).isEqualTo(List.of("serve"));
        // the public port (http) takes webhooks only; health and metrics answer on the management port
        assertThat(map(serve, "readinessProbe", "httpGet")).containsEntry("path", "/q/health/ready")
                .containsEntry("port", 9000);
        assertThat(map(serve, "livenessProbe", "httpGet")).containsEntry("path", "/q/health/live")
                .containsEntry("port", 9000);
        assertThat(session.get("args")).isEqualTo(List.of("session-service"));
        assertThat(session).containsKeys("livenessProbe", "readinessProbe");
        assertThat(String.valueOf(session.get("envFrom"))).contains("name=amocrm-sync");
    }

    @Test
    void nothingNeedsAnOperatorOrAnInitJob() {
        assertThat(resources).extracting(r -> r.get("kind"))
                .doesNotContain("ServiceMonitor", "Job", "Role", "RoleBinding");
        assertThat(String.valueOf(resources)).doesNotContain("QUARKUS_FLYWAY_ACTIVE");
    }

    @Test
    void theManifestsAreAKustomizeBaseWithAnOverlayPerAccount() {
        assertThat(Path.of("target/kubernetes/kustomization.yaml")).exists().content().contains("- kubernetes.yml");
        assertThat(Path.of("target/kubernetes/accounts/geodrive/kustomization.yaml")).exists().content()
                .contains("- ../..").contains("AMOCRM_DB_SCHEMA=geodrive");
        // each overlay's secretGenerator renames the Secret for its account: every workload must name it as generated
        assertThat(String.valueOf(resources).split("secretRef", -1)).hasSizeGreaterThan(1);
        assertThat(String.valueOf(resources)).doesNotContainPattern("secretRef=\\{name=(?!amocrm-sync\\})");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMonitoringManifestsCarryTheShippedRulesAMonitorAndTheDashboard() throws IOException {
        List<Map<String, Object>> monitoring = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(Path.of("target/kubernetes/monitoring.yml"))) {
            new Yaml().loadAll(reader).forEach(document -> monitoring.add((Map<String, Object>) document));
        }
        assertThat(monitoring).extracting(r -> r.get("kind")).containsExactly("PrometheusRule", "ServiceMonitor",
                "ConfigMap");
        assertThat(monitoring.get(0)).containsEntry("apiVersion", "monitoring.coreos.com/v1");
        assertThat(monitoring.get(0).get("spec")).isEqualTo(PrometheusRulesTest.load(PrometheusRulesTest.RULES));
        assertThat(String.valueOf(monitoring.get(1).get("spec"))).contains("port=management").contains("path=/q/metrics");
        Map<String, Object> dashboard = monitoring.get(2);
        assertThat(map(dashboard, "metadata", "labels")).containsEntry("grafana_dashboard", "1");
        assertThat(map(dashboard, "data").get("amocrm-sync.json"))
                .isEqualTo(Files.readString(Path.of("src/main/grafana/amocrm-sync.json")));
    }

    private static Map<String, Object> resource(String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.get("kind")) && name.equals(map(r, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + resources));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyContainer(Map<String, Object> podSpec) {
        List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec.get("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> from, String... path) {
        Map<String, Object> current = from;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
            assertThat(current).as(String.join(".", path)).isNotNull();
        }
        return current;
    }
}
