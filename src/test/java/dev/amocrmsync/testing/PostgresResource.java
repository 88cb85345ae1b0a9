package dev.amocrmsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL (binaries from Maven Central) for every Quarkus test, started once per test JVM and shared by
 * every application start. Its port is published as a system property because command-line tests load test resources
 * in a class loader of their own per launch; tests begin from {@link Db#reset()}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final String PORT = "amocrmsync.test.postgres-port";

    public static synchronized int port() {
        String published = System.getProperty(PORT);
        if (published != null) {
            return Integer.parseInt(published);
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the test JVM is exiting
                }
            }));
            System.setProperty(PORT, Integer.toString(postgres.getPort()));
            return postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    public static DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://127.0.0.1:" + port() + "/postgres");
        dataSource.setUser("postgres");
        return dataSource;
    }

    /** The same database with {@code schema} first on the search path: one account's tables. */
    public static DataSource dataSource(String schema) {
        PGSimpleDataSource dataSource = (PGSimpleDataSource) dataSource();
        dataSource.setCurrentSchema(schema);
        return dataSource;
    }

    /** The seed's form, as an operator would set {@code DATABASE_URL}. */
    public static String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:" + port() + "/postgres";
    }

    @Override
    public Map<String, String> start() {
        int port = port();
        return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        // shared by the application starts of this JVM; closed when it exits
    }
}
