package dev.amocrmsync.status;

import java.util.ArrayList;
import java.util.List;

/** A {@link StatusReport} for a person at a terminal: the verdict first, then a line per entity, then the rest. */
public final class StatusText {

    private static final String ROW = "%-22s %-18s %-12s %10s %9s %12s";

    private StatusText() {
    }

    public static String of(StatusReport report) {
        List<String> lines = new ArrayList<>();
        lines.add("amocrm-sync status: " + (report.account() == null ? "no account recorded yet" : report.account())
                + " (schema " + report.schema() + ", checked " + report.checkedAt() + ")");
        lines.add(report.health().verdict() + ": " + String.join("; ", report.health().reasons()));
        lines.add("amoCRM's clock: " + (report.amoCrmNow() == null ? "unknown, no run has read amoCRM yet"
                : report.amoCrmNow() + " (the latest run's bound from amoCRM's Date header, advanced by the database's"
                        + " clock since; lags are measured on it)"));
        if (!report.entities().isEmpty()) {
            lines.add("");
            lines.add(ROW.formatted("ENTITY", "LAST SUCCESS", "LAG", "LIVE", "DELETED", "QUARANTINED").stripTrailing());
            for (StatusReport.EntityStatus entity : report.entities()) {
                lines.add(ROW.formatted(entity.entity(),
                        entity.lastSuccessAgeSeconds() == null ? "never" : Ages.of(entity.lastSuccessAgeSeconds()) + " ago",
                        entity.lagSeconds() == null ? "-" : Ages.of(entity.lagSeconds()), entity.live(),
                        entity.deleted(), entity.quarantined()).stripTrailing());
            }
            report.entities().stream().filter(entity -> entity.lastQuarantineReason() != null)
                    .forEach(entity -> lines.add("  " + entity.entity() + ": latest set aside because "
                            + entity.lastQuarantineReason()));
        }
        lines.add("");
        lines.add("Last run: " + run(report.lastRun()));
        if (report.lastFailure() != null && report.lastFailure() != report.lastRun()) {
            lines.add("Last error: " + run(report.lastFailure()));
        }
        lines.add("Run in progress: " + running(report.running()));
        lines.add("Webhook backlog: " + report.webhooks().pending() + " events waiting"
                + (report.webhooks().oldestAgeSeconds() == null ? ""
                        : ", the oldest for " + Ages.of(report.webhooks().oldestAgeSeconds())));
        lines.add("OAuth token: " + (report.token() == null ? "none stored (a long-lived token or the session mode)"
                : "refreshed " + Ages.of(report.token().ageSeconds()) + " ago; amoCRM drops a refresh token unused for"
                        + " three months, this one around " + report.token().refreshTokenDiesAround()));
        return String.join(System.lineSeparator(), lines);
    }

    private static String run(StatusReport.Run run) {
        if (run == null) {
            return "none yet";
        }
        return "#" + run.id() + " (" + run.kind() + ") " + run.status() + " " + Ages.of(run.ageSeconds()) + " ago"
                + (run.error() == null ? "" : ": " + run.error());
    }

    private static String running(StatusReport.Running running) {
        if (running == null) {
            return "none";
        }
        String progress = running.fraction() == null ? ""
                : ", " + Math.min(99, Math.round(Math.floor(running.fraction() * 100))) + "% of its range read"
                        + (running.leftSeconds() == null ? "" : ", about " + Ages.of(running.leftSeconds()) + " left");
        return (running.id() == null ? "a run" : "#" + running.id() + " (" + running.kind() + ")") + " for "
                + Ages.of(running.runningSeconds()) + ", " + running.itemsRead() + " items in " + running.pages()
                + " pages" + progress + "; " + running.holder();
    }
}
