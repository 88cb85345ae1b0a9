package dev.amocrmsync.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.status.Health;
import dev.amocrmsync.status.StatusReader;
import dev.amocrmsync.status.StatusReport;
import dev.amocrmsync.status.StatusText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The mirror at a glance, from the database alone: what a person at a terminal, a cron check or Nagios asks. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Print, per entity, the last success and its age, the lag behind amoCRM, rows live and"
        + " deleted, items quarantined; the last error, the run in progress with its progress, the webhook backlog and"
        + " the OAuth token's age. Reads the database only. Exit 0 healthy, 3 items quarantined, 10 stale, 11 failing,"
        + " 12 never synced, 7 database unreachable.")
class StatusCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the status as one JSON document, for scripts.")
    boolean json;

    private final Launcher launcher;
    private final StatusReader reader;
    private final ObjectMapper mapper;

    StatusCommand(Launcher launcher, StatusReader reader, ObjectMapper mapper) {
        this.launcher = launcher;
        this.reader = reader;
        this.mapper = mapper;
    }

    @Override
    public Integer call() {
        StatusReport report;
        try {
            launcher.checkDatabaseSettings();
            report = reader.read();
        } catch (Throwable e) {
            return launcher.readFailed(e);
        }
        System.out.println(json ? asJson(report) : StatusText.of(report));
        return exit(report.health().verdict()).code;
    }

    private String asJson(StatusReport report) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status does not serialize", e);
        }
    }

    static Exit exit(Health.Verdict verdict) {
        return switch (verdict) {
            case HEALTHY -> Exit.OK;
            case QUARANTINED -> Exit.QUARANTINED;
            case STALE -> Exit.STALE;
            case FAILING -> Exit.FAILING;
            case NEVER_SYNCED -> Exit.NEVER_SYNCED;
        };
    }
}
