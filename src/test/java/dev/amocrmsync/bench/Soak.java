package dev.amocrmsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.amocrmsync.simulator.SimContact;
import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.simulator.Stats;
import dev.amocrmsync.testing.Arrivals;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.TestDatabase;

/**
 * {@code serve} for a long while, as it runs in production: the packaged application with the production JVM options,
 * a sync every 10 seconds while salespeople edit the account (5 leads and 2 contacts a second) and a webhook arrives
 * every 10 seconds, against amoCRM's strict window (7 inside any sliding second, counted at arrival, HTML 429 without
 * Retry-After). Prints the requests, the 429s, the tightest eight arrivals, the runs by outcome and RSS over time with
 * its slope after warm-up; at the end the edits stop and the mirror is checked exact once two runs have followed.
 * <p>
 * System properties: {@code bench.soak} (how long the edits go on: {@code 10m}, {@code 600s}, {@code 1h}; default 10m),
 * {@code bench.soak.latency} (ms, 50), {@code bench.rps} (7), {@code bench.jitter} (ms, 25), {@code bench.soak.account}
 * (leads,contacts,companies, default 5000,7500,1250), {@code bench.soak.edits} (per second: leads,contacts,companies,
 * default 5,2,0), {@code bench.soak.cron} (default every 10 s), {@code bench.soak.webhook-every} (s, 10),
 * {@code bench.soak.warm-up} (left out of the RSS slope, default 2m), {@code bench.soak.debug} (true: serve logs each
 * request as it leaves the budget, in {@code target/benchmark-soak-serve.log}).
 */
final class Soak {

    private static final String SECRET = "bench-webhook-secret-" + UUID.randomUUID();
    private static final Duration RSS_EVERY = Duration.ofSeconds(30);

    private final SimulatorServer simulator;
    private final List<String> jvm;
    private final Consumer<String> out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger webhooks = new AtomicInteger();
    private final AtomicInteger webhooksRefused = new AtomicInteger();
    private final List<double[]> rss = new ArrayList<>();

    Soak(SimulatorServer simulator, List<String> jvm, Consumer<String> out) {
        this.simulator = simulator;
        this.jvm = jvm;
        this.out = out;
    }

    void run() throws IOException {
        Duration length = duration(System.getProperty("bench.soak", "10m"));
        Duration warmUp = duration(System.getProperty("bench.soak.warm-up", "2m"));
        int latency = Integer.getInteger("bench.soak.latency", 50);
        double rps = Double.parseDouble(System.getProperty("bench.rps", "7"));
        int jitter = Integer.getInteger("bench.jitter", 25);
        int[] size = numbers(System.getProperty("bench.soak.account", "5000,7500,1250"));
        double[] edits = java.util.Arrays.stream(System.getProperty("bench.soak.edits", "5,2,0").split(","))
                .mapToDouble(n -> Double.parseDouble(n.strip())).toArray();
        int webhookEvery = Integer.getInteger("bench.soak.webhook-every", 10);

        Db db = TestDatabase.emptied();
        SimulatedAccount account = SimulatedAccount.withEntities(size[0], size[0], size[1], size[2], Duration.ofDays(5));
        account.faults().latency(Duration.ofMillis(latency)).rateCeiling(rps).arrivalJitter(Duration.ofMillis(jitter));
        simulator.serve(account).acceptOnly(null);
        int port = freePort();
        Map<String, String> settings = new HashMap<>();
        settings.put("DATABASE_URL", PostgresResource.databaseUrl());
        settings.put("AMOCRM_BASE_URL", simulator.url().toString());
        settings.put("AMOCRM_ACCESS_TOKEN", "bench");
        settings.put("AMOCRM_WEBHOOK_SECRET", SECRET);
        settings.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        settings.put("QUARKUS_MANAGEMENT_PORT", "0");
        settings.put("AMOCRM_SYNC_CRON", System.getProperty("bench.soak.cron", "0/10 * * * * ?"));
        if (Boolean.getBoolean("bench.soak.debug")) {
            settings.put("QUARKUS_LOG_CATEGORY__DEV_AMOCRMSYNC_AMOCRM__LEVEL", "DEBUG");
        }
        out.accept(String.format(Locale.ROOT, "Soak: serve for %s of edits (%s leads/s, %s contacts/s, %s companies/s),"
                + " a webhook every %d s, cron `%s`; account of %,d leads, %,d contacts, %,d companies; %d ms latency,"
                + " strict window of %d/s counted at arrival (HTML 429), ±%d ms jitter. Load average before: %s",
                length, fmt(edits[0]), fmt(edits[1]), fmt(edits[2]), webhookEvery, settings.get("AMOCRM_SYNC_CRON"),
                size[0], size[1], size[2], latency, (int) rps, jitter, loadAverage()));

        long started = System.nanoTime();
        PackagedApp serve = PackagedApp.start(settings, jvm, "serve");
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        try {
            timers.scheduleAtFixedRate(() -> sampleRss(serve, started), 0, RSS_EVERY.toSeconds(), TimeUnit.SECONDS);
            PackagedApp.await("the first sync succeeds", Duration.ofMinutes(10), () -> succeededRuns(db, null) >= 1);
            out.accept(String.format(Locale.ROOT, "First sync done %.1f s after start; edits and webhooks begin",
                    (System.nanoTime() - started) / 1e9));
            simulator.editsPerSecond(edits[0], edits[1], edits[2]);
            timers.scheduleAtFixedRate(() -> deliverWebhook(account, port), webhookEvery, webhookEvery, TimeUnit.SECONDS);
            sleep(length);

            simulator.editsPerSecond(0);
            timers.shutdownNow();
            Object stoppedAt = db.value("SELECT now()");
            PackagedApp.await("two runs succeed after the edits stopped, every webhook event applied",
                    Duration.ofMinutes(5), () -> succeededRuns(db, stoppedAt) >= 2 && db.count(
                            "SELECT count(*) FROM amocrm_webhook_events WHERE processed_at IS NULL") == 0);
            sampleRss(serve, started);
            report(db, account, serve, warmUp, started);
        } finally {
            timers.shutdownNow();
            simulator.editsPerSecond(0);
            serve.terminate();
            serve.exitCode(Duration.ofMinutes(1));
            Files.writeString(Path.of("target", "benchmark-soak-serve.log"), serve.output());
        }
    }

    private void report(Db db, SimulatedAccount account, PackagedApp serve, Duration warmUp, long started)
            throws IOException {
        List<Stats.Request> timeline = simulator.stats().timeline().stream()
                .sorted(Comparator.comparingLong(Stats.Request::nanos)).toList();
        String mirror;
        try {
            Mirror.assertDatabaseEquals(db, account);
            Mirror.assertEntitiesEqual(db, account);
            mirror = "exact (leads, contacts, companies)";
        } catch (AssertionError | IllegalStateException e) {
            mirror = "NOT exact: " + e.getMessage().lines().findFirst().orElse("");
        }
        Map<String, Object> runs = new java.util.TreeMap<>();
        db.rows("SELECT status, count(*) AS n FROM sync_runs GROUP BY status")
                .forEach(row -> runs.put((String) row.get("status"), row.get("n")));
        long refetches = timeline.stream().filter(r -> r.query() != null && r.query().contains("filter[id]")).count();
        int[] tightest = tightestEight(timeline);
        double tightestMs = tightest == null ? Double.NaN
                : (timeline.get(tightest[1]).nanos() - timeline.get(tightest[0]).nanos()) / 1e6;

        out.accept("");
        out.accept("| figure | value |");
        out.accept("|---|---|");
        out.accept(String.format(Locale.ROOT, "| process life | %.1f min |", (System.nanoTime() - started) / 60e9));
        out.accept(String.format(Locale.ROOT, "| requests | %,d (%,d of them webhook re-fetches by id) |", timeline.size(),
                refetches));
        out.accept(String.format(Locale.ROOT, "| 429s | %d |", simulator.stats().withStatus(429)));
        out.accept(String.format(Locale.ROOT, "| busiest sliding second | %d arrivals |", Arrivals.busiestSecond(timeline)));
        out.accept(String.format(Locale.ROOT, "| tightest eight arrivals | %.1f ms |", tightestMs));
        List<Double> late = timeline.stream().map(r -> r.stampedLateNanos() / 1e6).sorted().toList();
        out.accept(String.format(Locale.ROOT, "| simulator stamping late (its own loop or JVM) | median %.1f ms, p99 %.1f ms,"
                + " max %.1f ms |", late.get(late.size() / 2), late.get((int) (late.size() * 0.99)),
                late.get(late.size() - 1)));
        out.accept(String.format(Locale.ROOT, "| runs | %s |", runs));
        out.accept(String.format(Locale.ROOT, "| webhooks delivered | %d (%d not answered 200) |", webhooks.get(),
                webhooksRefused.get()));
        out.accept(String.format(Locale.ROOT, "| mirror at the end | %s |", mirror));
        out.accept(String.format(Locale.ROOT, "| RSS | %s |", rssSummary(warmUp)));
        out.accept("");
        out.accept("RSS over time (min: MB): " + String.join(", ", rss.stream()
                .map(sample -> String.format(Locale.ROOT, "%.1f: %.0f", sample[0], sample[1])).toList()));
        if (tightest != null) {
            out.accept("The tightest eight (ms after the first of them):");
            long first = timeline.get(tightest[0]).nanos();
            for (int i = tightest[0]; i <= tightest[1]; i++) {
                Stats.Request r = timeline.get(i);
                out.accept(String.format(Locale.ROOT, "    %8.1f  (stamped %.1f ms late) %d %s?%s", (r.nanos() - first) / 1e6,
                        r.stampedLateNanos() / 1e6, r.status(), r.path(), r.query()));
            }
        }
        writeArrivals(timeline);
    }

    /** Indexes of the first and last of the eight consecutive arrivals spanning the least time; null under eight. */
    static int[] tightestEight(List<Stats.Request> byArrival) {
        int[] best = null;
        long span = Long.MAX_VALUE;
        for (int i = 0; i + 7 < byArrival.size(); i++) {
            long s = byArrival.get(i + 7).nanos() - byArrival.get(i).nanos();
            if (s < span) {
                span = s;
                best = new int[] { i, i + 7 };
            }
        }
        return best;
    }

    private String rssSummary(Duration warmUp) {
        double warm = warmUp.toMillis() / 60_000.0;
        List<double[]> after = rss.stream().filter(sample -> sample[0] >= warm).toList();
        double peak = rss.stream().mapToDouble(sample -> sample[1]).max().orElse(0);
        if (after.size() < 3) {
            return String.format(Locale.ROOT, "peak %.0f MB (too few samples after warm-up for a slope)", peak);
        }
        double meanX = after.stream().mapToDouble(s -> s[0]).average().orElseThrow();
        double meanY = after.stream().mapToDouble(s -> s[1]).average().orElseThrow();
        double num = after.stream().mapToDouble(s -> (s[0] - meanX) * (s[1] - meanY)).sum();
        double den = after.stream().mapToDouble(s -> (s[0] - meanX) * (s[0] - meanX)).sum();
        double perHour = num / den * 60;
        return String.format(Locale.ROOT, "%.0f MB at warm-up's end (%.0f min), %.0f MB at the end, peak %.0f MB; slope"
                + " after warm-up %+.1f MB/hour (least squares over %d samples)", after.get(0)[1], warm,
                after.get(after.size() - 1)[1], peak, perHour, after.size());
    }

    private void writeArrivals(List<Stats.Request> timeline) throws IOException {
        List<String> lines = new ArrayList<>();
        long previous = timeline.isEmpty() ? 0 : timeline.get(0).nanos();
        for (Stats.Request r : timeline) {
            lines.add(String.format(Locale.ROOT, "%d +%.1f ms (stamped %.1f ms late) %d %s%s", r.at(),
                    (r.nanos() - previous) / 1e6, r.stampedLateNanos() / 1e6, r.status(), r.path(),
                    r.query() == null ? "" : "?" + r.query()));
            previous = r.nanos();
        }
        Path file = Path.of("target", "benchmark-soak-requests.txt");
        Files.write(file, lines);
        out.accept("Arrival log: " + file + " (epoch ms, gap to the arrival before, how late the simulator stamped it,"
                + " status, request)");
    }

    /** amoCRM telling serve that a lead and a contact changed, as a salesperson's edit does. */
    private void deliverWebhook(SimulatedAccount account, int port) {
        try {
            List<Long> leads = List.copyOf(account.liveLeads().keySet());
            List<Long> contacts = List.copyOf(account.liveContacts().keySet());
            SimLead lead = account.edit(leads.get(ThreadLocalRandom.current().nextInt(leads.size())));
            SimContact contact = account.editContact(contacts.get(ThreadLocalRandom.current().nextInt(contacts.size())));
            String body = "leads[update][0][id]=" + lead.id() + "&leads[update][0][last_modified]=" + lead.updatedAt()
                    + "&contacts[update][0][id]=" + contact.id() + "&contacts[update][0][type]=contact"
                    + "&contacts[update][0][last_modified]=" + contact.updatedAt() + "&account[id]=" + account.accountId();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/amocrm/" + SECRET))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build();
            webhooks.incrementAndGet();
            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                webhooksRefused.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            webhooksRefused.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sampleRss(PackagedApp serve, long started) {
        long kb = statusKb(serve.pid(), "VmRSS:");
        if (kb > 0) {
            synchronized (rss) {
                rss.add(new double[] { (System.nanoTime() - started) / 60e9, kb / 1024.0 });
            }
        }
    }

    private static long succeededRuns(Db db, Object after) {
        if (db.value("SELECT to_regclass('sync_runs')") == null) {
            return 0;
        }
        return after == null ? db.count("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'")
                : db.count("SELECT count(*) FROM sync_runs WHERE status = 'succeeded' AND started_at > ?", after);
    }

    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process has just exited
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        return switch (t.replaceAll("^\\d+", "")) {
            case "h" -> Duration.ofHours(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "s", "" -> Duration.ofSeconds(n);
            default -> throw new IllegalArgumentException("bench.soak: a duration such as 10m, 600s or 1h, not " + text);
        };
    }

    private static int[] numbers(String list) {
        return java.util.Arrays.stream(list.split(",")).mapToInt(n -> Integer.parseInt(n.strip())).toArray();
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration length) {
        try {
            Thread.sleep(length.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
