package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.sync.SyncRequest;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The top command's options, parsed by Picocli as on the command line, without starting the application. */
class SyncCommandTest {

    @Test
    void withoutOptionsItIsAnIncrementalSync() {
        assertThat(parse().request()).isEqualTo(SyncRequest.incremental());
    }

    @Test
    void sinceTakesIsoTimesDatesAndUnixSeconds() {
        assertThat(parse("--since", "2025-11-10T12:00:00Z").request().since()).contains(Instant.parse("2025-11-10T12:00:00Z"));
        assertThat(parse("--since", "2025-11-10").request().since()).contains(Instant.parse("2025-11-10T00:00:00Z"));
        assertThat(parse("--since", "1731240000").request().since()).contains(Instant.ofEpochSecond(1_731_240_000));
    }

    @Test
    void fullDryRunAndVerboseAreKept() {
        SyncCommand command = parse("--full", "--dry-run", "-v");

        assertThat(command.request().kind()).isEqualTo(SyncRequest.Kind.FULL);
        assertThat(command.dryRun).isTrue();
        assertThat(command.verbose).isTrue();
    }

    @Test
    void contradictionsAndUnreadableTimesAreUsageErrors() {
        assertThatThrownBy(() -> parse("--full", "--since", "2025-01-01").request()).isInstanceOf(ParameterException.class)
                .hasMessage("--full and --since exclude each other");
        assertThatThrownBy(() -> parse("--since", "yesterday").request()).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--since yesterday is neither ISO-8601");
    }

    private static SyncCommand parse(String... args) {
        SyncCommand command = new SyncCommand(null);
        new CommandLine(command, new NoSubcommands()).parseArgs(args);
        return command;
    }

    /** Subcommands need CDI; parsing the top command's own options does not. */
    static final class NoSubcommands implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
