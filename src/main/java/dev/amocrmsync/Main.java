package dev.amocrmsync;

import java.util.Arrays;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * Entry point of the jar and the native binary. Only the long-running commands listen on HTTP: a one-shot sync (a
 * timer) must not take port 8080 from a {@code serve} on the same host, nor expose anything. The management interface
 * ({@code /q/health}, {@code /q/metrics}) cannot be turned off at run time: outside {@code serve} it listens on
 * 127.0.0.1 and a free port, never on {@code serve}'s 9000. A Kubernetes CronJob pod sets
 * {@code QUARKUS_MANAGEMENT_HOST} and {@code QUARKUS_MANAGEMENT_PORT} so its probes see the run alive.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine commandLine;

    public static void main(String... args) {
        String command = Arrays.stream(args).filter(arg -> !arg.startsWith("-")).findFirst().orElse("");
        switch (command) {
            case "serve" -> {
                // HTTP as configured: health, metrics, webhooks
            }
            case "session-service" -> {
                setDefault("quarkus.http.port", "${amocrm.session.port}");
                setDefault("quarkus.http.host", "${amocrm.session.host}");
                localManagement();
            }
            default -> {
                localManagement();
                setDefault("quarkus.http.host-enabled", "false");
                setDefault("quarkus.log.category.\"io.quarkus\".level", "WARN");
                // nothing is scheduled in a one-shot command (serve's jobs skip outside serve): no scheduler to start
                setDefault("quarkus.scheduler.enabled", "false");
            }
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        return commandLine.execute(args);
    }

    private static void localManagement() {
        setDefault("quarkus.management.host", "127.0.0.1");
        setDefault("quarkus.management.port", "0");
    }

    /** Sets {@code property} unless the operator did, as a system property or in the environment. */
    private static void setDefault(String property, String value) {
        String environmentName = property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
        if (System.getProperty(property) == null && System.getenv(environmentName) == null) {
            System.setProperty(property, value);
        }
    }
}
