package dev.amocrmsync.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

import dev.amocrmsync.sync.SyncRequest;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Without a command: one sync of everything changed since the last run, then exit (what a CronJob runs). */
@TopCommand
@Command(name = "amocrm-sync", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Mirrors amoCRM (Kommo) leads into PostgreSQL table amocrm_deals. Without a command: one sync"
        + " of every lead changed since the last run, then exit.", subcommands = { ServeCommand.class,
                SessionServiceCommand.class, OAuthCommand.class,
                SimulateCommand.class, StatusCommand.class, BenchStoreCommand.class })
public class SyncCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--since", paramLabel = "<time>", description = "Read leads updated since this time instead of since the last run: ISO-8601"
            + " (2025-11-10T12:00:00Z, 2025-11-10) or unix seconds.")
    String since;

    @Option(names = "--full", description = "Read every lead of the account and the bin of deleted ones.")
    boolean full;

    @Option(names = "--dry-run", description = "Fetch and map, write nothing (not even the run history).")
    boolean dryRun;

    @Option(names = { "-v", "--verbose" }, description = "Print a line per lead with its RentProg booking id.")
    boolean verbose;

    private final Launcher launcher;

    SyncCommand(Launcher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Integer call() {
        return launcher.syncOnce(request().dryRun(dryRun).verbose(verbose));
    }

    /** What the options ask for; a usage error (exit code 2) when they contradict each other or do not parse. */
    SyncRequest request() {
        if (full && since != null) {
            throw new ParameterException(spec.commandLine(), "--full and --since exclude each other");
        }
        return full ? SyncRequest.full() : since != null ? SyncRequest.since(parseTime(since)) : SyncRequest.incremental();
    }

    private Instant parseTime(String text) {
        String value = text.strip();
        try {
            if (value.matches("\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--since " + value + " is neither ISO-8601"
                    + " (2025-11-10T12:00:00Z, 2025-11-10) nor unix seconds");
        }
    }
}
