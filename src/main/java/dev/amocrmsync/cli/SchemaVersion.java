package dev.amocrmsync.cli;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Whether the schema already has every migration this build ships: most runs find it does, and then skip Flyway (its
 * JDBC connection and validation cost half a second a run); when not, the caller migrates.
 */
@ApplicationScoped
public class SchemaVersion {

    /** The newest migration under {@code db/migration}; a test fails when a new one is added without raising this. */
    public static final int LATEST = 23;

    // asked first, so a fresh database logs no "relation does not exist" error on its first run
    private static final String HISTORY_EXISTS = "SELECT to_regclass('flyway_schema_history') IS NOT NULL";
    private static final String APPLIED = """
            SELECT count(*) FROM flyway_schema_history WHERE success AND version = :latest""";

    /** True when the newest migration is applied; false when it is not, or the history table does not exist yet. */
    public Uni<Boolean> current() {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.<Boolean> createNativeQuery(HISTORY_EXISTS).getSingleResult()
                        .chain(exists -> !exists ? Uni.createFrom().item(0L)
                                : session.<Long> createNativeQuery(APPLIED).setParameter("latest", Integer.toString(LATEST))
                                        .getSingleResult())))
                .map(applied -> applied > 0)
                .onFailure().recoverWithItem(false);
    }
}
