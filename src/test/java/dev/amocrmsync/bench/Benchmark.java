package dev.amocrmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.simulator.Stats;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.TestDatabase;
import io.vertx.core.Vertx;

/**
 * The benchmark ({@code ./mvnw -Pbench verify -DskipTests}): the packaged application against the simulated account
 * with amoCRM's latency and request ceiling, into a fresh embedded PostgreSQL, checked exact, with the figures printed
 * and written to {@code target/benchmark.md}. Never a test: nothing here passes or fails on time.
 * <p>
 * The simulator is as strict as amoCRM: at most {@code bench.rps} requests inside any sliding second, counted at
 * arrival, 429 as an HTML page; every request reaches it with ±{@code bench.jitter} ms of network jitter.
 * <p>
 * System properties: {@code bench.leads} (comma list, default 20000,100000), {@code bench.account} (leads,contacts,
 * companies,tasks,notes of the whole-account case, default 20000,30000,5000,20000,40000; empty to skip), {@code bench.latency}
 * (ms, 250),
 * {@code bench.rps} (7), {@code bench.jitter} (ms, 25), {@code bench.only} ({@code sync} for the syncs and their
 * no-change runs alone, {@code account} for the whole-account case alone, {@code soak} for {@link Soak} alone),
 * {@code bench.java} (the JVM to run the application with; default JDK 25 when installed).
 */
public final class Benchmark {

    private static final Pattern DONE = Pattern.compile(
            "Done: processed (\\d+).*\\((\\d+) pages, (\\d+) requests, ([\\d.]+) s, ([\\d.]+) requests/s\\)");
    private static final Pattern REQUESTS = Pattern.compile("Requests: ([^\n]+)");
    private static final Pattern STORE = Pattern
            .compile("bench-store: (\\d+) leads in (\\d+) pages in ([\\d.]+) s: (\\d+) leads/s");

    private final List<String> report = new ArrayList<>();
    private final List<String> footnotes = new ArrayList<>();
    private final List<String> jvm = new ArrayList<>();
    private final SimulatorServer simulator;

    private Benchmark(SimulatorServer simulator) {
        this.simulator = simulator;
    }

    public static void main(String[] args) throws IOException {
        int latency = Integer.getInteger("bench.latency", 250);
        double rps = Double.parseDouble(System.getProperty("bench.rps", "7"));
        String java = System.getProperty("bench.java", findJdk25());
        System.setProperty("bench.java.path", java);
        Vertx vertx = Vertx.vertx();
        Benchmark bench = new Benchmark(SimulatorServer.start(vertx, new SimulatedAccount(1), "127.0.0.1", 0));
        bench.configureJvm(java);
        if ("soak".equals(System.getProperty("bench.only"))) {
            new Soak(bench.simulator, bench.jvm, bench::line).run();
            bench.finish(Path.of("target", "benchmark-soak.md"), vertx);
        }
        bench.line("| scenario | leads | wall (process) | sync run | API span | ceiling | span / ceiling | requests | 429s"
                + " | requests/s (API span) | requests/s (run says) | peak RSS |");
        bench.line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        boolean accountOnly = "account".equals(System.getProperty("bench.only"));
        for (String leads : System.getProperty("bench.leads", "20000,100000").split(",")) {
            if (!accountOnly && !leads.isBlank()) {
                bench.fullSync(Integer.parseInt(leads.strip()), latency, rps);
            }
        }
        if (!accountOnly) {
            bench.quietNoChangeRun(latency, rps);
        }
        String account = System.getProperty("bench.account", "20000,30000,5000,20000,40000");
        if (!account.isBlank()) {
            int[] sizes = Arrays.copyOf(
                    Arrays.stream(account.split(",")).mapToInt(n -> Integer.parseInt(n.strip())).toArray(), 5);
            bench.wholeAccount(sizes, latency, rps);
        }
        bench.line("");
        bench.footnotes.forEach(note -> bench.line("- " + note));
        if (System.getProperty("bench.only") == null) {
            bench.line("");
            bench.databaseOnly(50_000);
            bench.processStart();
        }
        bench.finish(Path.of("target", "benchmark.md"), vertx);
    }

    private void finish(Path out, Vertx vertx) throws IOException {
        Files.writeString(out, String.join("\n", report) + "\n");
        System.out.println("\nWritten to " + out.toAbsolutePath());
        simulator.close();
        vertx.close();
        System.exit(0);
    }

    private void configureJvm(String java) {
        Path aot = Path.of("target", "quarkus-app", "app.aot");
        boolean useAot = Files.exists(aot) && java.contains("25");
        jvm.addAll(PackagedApp.PRODUCTION_JVM);
        if (useAot) {
            jvm.add("-XX:AOTCache=app.aot");
        }
        line("Application JVM: " + java + " " + String.join(" ", jvm)
                + (useAot ? "" : " (no AOT cache: build with -Paot on JDK 25)"));
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
        line("");
    }

    /** A first sync of the whole account at amoCRM's pace, then a run with nothing to do. */
    private void fullSync(int leads, int latencyMillis, double rps) {
        Db db = TestDatabase.emptied();
        SimulatedAccount account = SimulatedAccount.withLeads(leads, leads, Duration.ofDays(5));
        account.stampSecond(account.now() - 50_000, 300);
        account.stampSecond(account.now() - 150_000, 300);
        strict(account, latencyMillis, rps);
        simulator.serve(account).acceptOnly(null);

        Run first = run("--full");
        Mirror.assertDatabaseEquals(db, account);
        double ceiling = Math.ceil(leads / 250.0) / rps;
        double span = apiSpanSeconds();
        line(String.format(Locale.ROOT,
                "| first sync | %,d | %.1f s | %.1f s | %.1f s | %.1f s | %.2f | %d | %d | %.2f | %.2f | %d MB |",
                leads, first.wall, first.runSeconds, span, ceiling, span / ceiling, simulator.stats().requests(),
                simulator.stats().withStatus(429), simulator.stats().requests() / span, first.requestsPerSecond,
                first.peakRssMb));

        writeTimeline("first-sync-" + leads);

        pause();
        simulator.stats().reset();
        Run idle = run();
        line(String.format(Locale.ROOT, "| no-change run | %,d | %.1f s | %.1f s | %.1f s | | | %d | %d | | %.2f | %d MB |",
                leads, idle.wall, idle.runSeconds, apiSpanSeconds(), simulator.stats().requests(),
                simulator.stats().withStatus(429), idle.requestsPerSecond, idle.peakRssMb));
    }

    /**
     * What a CronJob tick costs on most days: an account whose last edit is older than the overlap, so the run asks for
     * changes, hears 204 twice (leads, events) and exits. Median of three, process start to exit.
     */
    private void quietNoChangeRun(int latencyMillis, double rps) {
        TestDatabase.emptied();
        SimulatedAccount account = new SimulatedAccount(3);
        long lastEdit = account.now() - Duration.ofHours(1).toSeconds();
        for (int i = 0; i < 2_000; i++) {
            account.addLead(lastEdit - i * 1_200L);
        }
        strict(account, latencyMillis, rps);
        simulator.serve(account).acceptOnly(null);
        run("--full");
        List<Run> idle = new ArrayList<>();
        simulator.stats().reset();
        for (int i = 0; i < 3; i++) {
            idle.add(run());
        }
        idle.sort(Comparator.comparingDouble(Run::wall));
        Run median = idle.get(1);
        line(String.format(Locale.ROOT,
                "| no-change run, quiet account (median of 3; walls %.1f, %.1f, %.1f s) | %,d | %.1f s | %.1f s | | | | %d | %d | | %.2f | %d MB |",
                idle.get(0).wall, idle.get(1).wall, idle.get(2).wall, account.size(), median.wall, median.runSeconds,
                simulator.stats().requests() / 3, simulator.stats().withStatus(429), median.requestsPerSecond,
                median.peakRssMb));
    }

    /**
     * A first sync of a whole account (leads, contacts, companies and their links, the team's tasks and notes, the
     * deals' status history) at amoCRM's pace, then a run with nothing to do. The ceiling is the pages of every list ÷
     * the request rate, counting the notes as one list (they are three, one per parent: a lower bound).
     */
    private void wholeAccount(int[] sizes, int latencyMillis, double rps) {
        int leads = sizes[0], contacts = sizes[1], companies = sizes[2], tasks = sizes[3], notes = sizes[4];
        Db db = TestDatabase.emptied();
        SimulatedAccount account = SimulatedAccount.withEntities(leads, leads, contacts, companies, tasks, notes,
                Duration.ofDays(5));
        account.stampSecond(account.now() - 50_000, 300);
        account.stampContactSecond(account.now() - 90_000, 300);
        strict(account, latencyMillis, rps);
        simulator.serve(account).acceptOnly(null);

        Run first = run("--full");
        Mirror.assertDatabaseEquals(db, account);
        Mirror.assertEntitiesEqual(db, account);
        Mirror.assertWorkEquals(db, account);
        double pages = Arrays.stream(sizes).mapToDouble(n -> Math.ceil(n / 250.0)).sum();
        double ceiling = pages / rps;
        double span = apiSpanSeconds();
        String size = String.format(Locale.ROOT, "%,d + %,d contacts + %,d companies + %,d tasks + %,d notes", leads,
                contacts, companies, tasks, notes);
        line(String.format(Locale.ROOT,
                "| first sync, whole account | %s | %.1f s | %.1f s | %.1f s | %.1f s | %.2f | %d | %d | %.2f | %.2f | %d MB |",
                size, first.wall, first.runSeconds, span, ceiling, span / ceiling, simulator.stats().requests(),
                simulator.stats().withStatus(429), simulator.stats().requests() / span, first.requestsPerSecond,
                first.peakRssMb));
        requestsByList("first sync, whole account", first);
        writeTimeline("first-sync-whole-account");

        pause();
        simulator.stats().reset();
        Run idle = run();
        line(String.format(Locale.ROOT,
                "| no-change run, whole account | %s | %.1f s | %.1f s | %.1f s | | | %d | %d | | %.2f | %d MB |", size,
                idle.wall, idle.runSeconds, apiSpanSeconds(), simulator.stats().requests(),
                simulator.stats().withStatus(429), idle.requestsPerSecond, idle.peakRssMb));
        requestsByList("no-change run, whole account", idle);
    }

    /** The run's own count of its requests by list (its {@code Requests:} line), kept under the table. */
    private void requestsByList(String scenario, Run run) {
        Matcher requests = REQUESTS.matcher(run.output);
        if (requests.find()) {
            footnotes.add("Requests by list, " + scenario + ": " + requests.group(1).strip());
        }
    }

    /** amoCRM's rule as strict as amoCRM applies it, with the network's jitter on the way in. */
    private static void strict(SimulatedAccount account, int latencyMillis, double rps) {
        account.faults().latency(Duration.ofMillis(latencyMillis)).rateCeiling(rps)
                .arrivalJitter(Duration.ofMillis(Integer.getInteger("bench.jitter", 25)));
    }

    /** From the first request's arrival at the simulator to the last one's answer. */
    private double apiSpanSeconds() {
        List<Stats.Request> timeline = simulator.stats().timeline();
        if (timeline.isEmpty()) {
            return 0;
        }
        long first = timeline.stream().mapToLong(Stats.Request::at).min().orElseThrow();
        long last = timeline.stream().mapToLong(Stats.Request::at).max().orElseThrow();
        return (last - first + Integer.getInteger("bench.latency", 250)) / 1000.0;
    }

    /** Every request the simulator answered, for reading where a run spent its requests and its time. */
    private void writeTimeline(String name) {
        Path file = Path.of("target", "benchmark-" + name + "-requests.txt");
        try {
            Files.write(file, simulator.stats().recentRequests());
        } catch (IOException e) {
            line("(request timeline not written: " + e.getMessage() + ")");
        }
    }

    /** The database path alone: the sync's commits of realistic pages, no API. */
    private void databaseOnly(int leads) {
        TestDatabase.emptied();
        // the synthetic pages are generated in memory before the clock starts: a larger heap, the rest as in production
        List<String> roomy = new ArrayList<>(jvm);
        roomy.replaceAll(option -> option.startsWith("-Xmx") ? "-Xmx3g" : option);
        Run store = run(roomy, "bench-store", "--leads", Integer.toString(leads));
        Matcher figures = STORE.matcher(store.output);
        line(figures.find()
                ? String.format(Locale.ROOT,
                        "Database path (no API, -Xmx3g for the generated pages): %,d leads in %s pages in %s s = **%s leads/s**, peak RSS %d MB",
                        Integer.parseInt(figures.group(1)), figures.group(2), figures.group(3), figures.group(4),
                        store.peakRssMb)
                : "Database path: no figures (" + store.output + ")");
    }

    /** From process start to exit, for a command that only starts the application. */
    private void processStart() {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            times.add(run("--version").wall);
        }
        times.sort(Double::compare);
        line(String.format(Locale.ROOT, "Process start to exit (--version, median of 3): %.2f s", times.get(1)));
    }

    private record Run(double wall, double runSeconds, double requestsPerSecond, long peakRssMb, String output) {
    }

    private Run run(String... args) {
        return run(jvm, args);
    }

    private Run run(List<String> jvmOptions, String... args) {
        long started = System.nanoTime();
        PackagedApp app = PackagedApp.start(Map.of("DATABASE_URL", PostgresResource.databaseUrl(),
                "AMOCRM_BASE_URL", simulator.url().toString(), "AMOCRM_ACCESS_TOKEN", "bench"),
                jvmOptions, args);
        long peak = 0;
        while (app.isAlive()) {
            peak = Math.max(peak, peakRssKb(app.pid()));
            sleep(100);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        int exit = app.exitCode(Duration.ofSeconds(10));
        String output = app.output();
        if (exit != 0) {
            throw new IllegalStateException("the application failed (exit " + exit + "):\n" + output);
        }
        Matcher done = DONE.matcher(output);
        boolean found = done.find();
        return new Run(wall, found ? Double.parseDouble(done.group(4)) : 0, found ? Double.parseDouble(done.group(5)) : 0,
                peak / 1024, output);
    }

    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process has just exited
        }
        return 0;
    }

    private static String findJdk25() {
        Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        return Files.isExecutable(temurin) ? temurin.toString() : ProcessHandle.current().info().command().orElse("java");
    }

    private void line(String text) {
        System.out.println(text);
        report.add(text);
    }

    private static void pause() {
        sleep(1_100);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
