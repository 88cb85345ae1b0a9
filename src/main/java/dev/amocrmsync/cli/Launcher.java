package dev.amocrmsync.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.config.DatabaseUrlConfigSourceFactory;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.metrics.Pushgateway;
import dev.amocrmsync.sync.SyncReport;
import dev.amocrmsync.sync.SyncRequest;
import dev.amocrmsync.sync.SyncService;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.flyway.runtime.FlywayContainerProducer;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;

/**
 * What every command that touches the database does first (check the settings, bring the schema up to date), and the
 * one-shot sync: run it, print the totals or the reason it failed as the last line, return the exit code.
 */
@Singleton
class Launcher {

    private final AmoCrmConfig amoCrm;
    private final Optional<String> databaseUrlProblem;
    private final DatabaseTarget database;
    private final Instance<FlywayContainerProducer> flyway;
    private final Instance<DataSource> jdbc;
    private final SchemaVersion schema;
    private final SyncService sync;
    private final Pushgateway pushgateway;

    Launcher(AmoCrmConfig amoCrm,
            @ConfigProperty(name = DatabaseUrlConfigSourceFactory.PROBLEM) Optional<String> databaseUrlProblem,
            DatabaseTarget database, Instance<FlywayContainerProducer> flyway, Instance<DataSource> jdbc,
            SchemaVersion schema, SyncService sync, Pushgateway pushgateway) {
        this.pushgateway = pushgateway;
        this.amoCrm = amoCrm;
        this.databaseUrlProblem = databaseUrlProblem;
        this.database = database;
        this.flyway = flyway;
        this.jdbc = jdbc;
        this.schema = schema;
        this.sync = sync;
    }

    /**
     * Fails with every setting to fix at once, then migrates the schema unless it is current; nothing is touched when
     * settings are wrong.
     */
    void prepareDatabase() {
        List<String> problems = databaseProblems();
        if (amoCrm.accessToken().isPresent()) {
            problems.addAll(AccountUrl.problems(amoCrm));
        }
        problems.addAll(pushgateway.problems());
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        boolean current;
        try {
            current = VertxContextSupport.subscribeAndAwait(schema::current);
        } catch (Throwable e) {
            current = false;
        }
        if (!current) {
            migrator().migrate();
        }
    }

    /** For a command that only reads the database: fails when it is not configured, touches nothing. */
    void checkDatabaseSettings() {
        List<String> problems = databaseProblems();
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    private List<String> databaseProblems() {
        List<String> problems = new ArrayList<>();
        databaseUrlProblem.ifPresent(problems::add);
        if (databaseUrlProblem.isEmpty() && !database.configured()) {
            problems.add("Set DATABASE_URL=postgresql://user:password@host:5432/database (or the Quarkus datasource"
                    + " settings QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL)");
        }
        return problems;
    }

    /**
     * Flyway with the datasource's settings ({@code quarkus.flyway.*}), made only when the schema is behind. Production
     * keeps Quarkus' own Flyway bean inactive ({@code %prod.quarkus.flyway.active=false}): it would configure itself and
     * open the JDBC pool at every start, a fifth of a second of a run that most days finds the schema current.
     */
    private Flyway migrator() {
        return flyway.get().createFlyway(jdbc.get(), DataSourceUtil.DEFAULT_DATASOURCE_NAME, true, true).getFlyway();
    }

    /** One run; its figures are pushed as it ends (when a Pushgateway is set), with the exit code it returns. */
    int syncOnce(SyncRequest request) {
        int exitCode;
        try {
            prepareDatabase();
            SyncReport report = VertxContextSupport.subscribeAndAwait(() -> sync.run(request));
            exitCode = finished(report);
        } catch (Throwable failure) {
            exitCode = failed(failure);
        }
        pushgateway.ended(exitCode);
        return exitCode;
    }

    /**
     * A command that only reads the database failed: not reaching it (or PostgreSQL refusing) names the database and
     * DATABASE_URL; anything else is told as for every command.
     */
    int readFailed(Throwable thrown) {
        Failure failure = Failure.of(thrown, database);
        if (failure.exit() == Exit.DATABASE_UNAVAILABLE) {
            Log.errorf("Failed (exit %d): %s", Exit.DATABASE_UNAVAILABLE.code, database.unreadable(thrown));
            return Exit.DATABASE_UNAVAILABLE.code;
        }
        return failed(thrown);
    }

    int failed(Throwable thrown) {
        Failure failure = Failure.of(thrown, database);
        if (failure.exit() == Exit.FAILED) {
            Log.error("Unexpected failure", thrown);
        }
        Log.errorf("Failed (exit %d): %s", failure.exit().code, failure.message());
        return failure.exit().code;
    }

    static int finished(SyncReport report) {
        if (!report.requestsByList().isEmpty()) {
            // where the budget went, list by list: the events and catalogs are shared by every entity
            Log.infof("Requests: %s", report.requestsSummary());
        }
        switch (report.outcome()) {
            case ALREADY_RUNNING -> {
                return Exit.OK.code;
            }
            case LOCK_STUCK -> {
                Log.errorf("Failed (exit %d): %s", Exit.LOCK_STUCK.code, report.note());
                return Exit.LOCK_STUCK.code;
            }
            case QUARANTINED -> {
                Log.warnf("Done with %d items quarantined (see table sync_quarantine): %s", report.quarantined(),
                        report.summary());
                return Exit.QUARANTINED.code;
            }
            case DRY_RUN -> {
                Log.infof("Dry run done, nothing written: %s", report.summary());
                return Exit.OK.code;
            }
            default -> {
                Log.infof("Done: %s", report.summary());
                return Exit.OK.code;
            }
        }
    }
}
