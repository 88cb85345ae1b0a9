package dev.amocrmsync.sync;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A line redrawn in place at the bottom of a terminal (carriage return, then erase to the end of the line). Only when
 * standard output is a terminal and logs are plain text: a file, a pipe, the journal or a JSON log collector would
 * keep every redraw as garbage, and get plain lines instead.
 */
final class ConsoleLine {

    private static final String ERASE_LINE = "\r\033[K";

    private final PrintStream out;
    private final int width;

    private ConsoleLine(PrintStream out, int width) {
        this.out = out;
        this.width = width;
    }

    /** The terminal's line, when standard output is one. */
    static Optional<ConsoleLine> ofTerminal() {
        boolean json = ConfigProvider.getConfig().getOptionalValue("quarkus.log.console.json.enabled", Boolean.class)
                .orElse(false);
        if (json || System.console() == null || !standardOutputIsTerminal()) {
            return Optional.empty();
        }
        return Optional.of(new ConsoleLine(System.out, columns()));
    }

    void draw(String text) {
        // a line longer than the terminal wraps, and the carriage return then redraws only its last part
        String fitted = text.length() < width ? text : text.substring(0, Math.max(0, width - 2)) + "…";
        out.print(ERASE_LINE + fitted);
        out.flush();
    }

    void clear() {
        out.print(ERASE_LINE);
        out.flush();
    }

    /**
     * System.console() says whether the process has a terminal at all (newer JDKs answer yes even with output
     * redirected); on Linux, where the file descriptor 1 points tells whether the output goes to it.
     */
    private static boolean standardOutputIsTerminal() {
        Path stdout = Path.of("/proc/self/fd/1");
        if (!Files.exists(stdout, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(stdout).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static int columns() {
        String columns = System.getenv("COLUMNS");
        try {
            return columns == null ? 80 : Math.max(20, Integer.parseInt(columns.strip()));
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
