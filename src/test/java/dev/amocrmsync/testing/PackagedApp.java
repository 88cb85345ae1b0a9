package dev.amocrmsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged application as an operator starts it: the native binary when the build made one, else the jar, with
 * settings in environment variables. Output goes to a file the test reads back.
 */
public final class PackagedApp {

    private final Process process;
    private final Path output;

    private PackagedApp(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * The JVM options production runs with (native.md: a short batch job on 1–2 cores, where C1 alone and the serial
     * collector start fastest and keep RSS low), so the ITs run the jar as it is deployed.
     */
    public static final List<String> PRODUCTION_JVM = List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1");

    /** Starts the application with the production JVM options. */
    public static PackagedApp start(Map<String, String> environment, String... args) {
        return start(environment, PRODUCTION_JVM, args);
    }

    /**
     * Starts the application with these JVM options (ignored for the native binary), from {@code target/quarkus-app}
     * with a relative {@code -jar quarkus-run.jar}, as the AOT cache must be used.
     */
    /** Whether the ITs run against the native binary (a {@code -Dnative} build) rather than the jar. */
    public static boolean nativeBuild() {
        String nativeImage = System.getProperty("native.image.path");
        return nativeImage != null && Files.isExecutable(Path.of(nativeImage));
    }

    public static PackagedApp start(Map<String, String> environment, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        String nativeImage = System.getProperty("native.image.path");
        // bench.app: another build's quarkus-app, for a benchmark of the code before a change against the same simulator
        Path app = Path.of(System.getProperty("bench.app", "target/quarkus-app")).toAbsolutePath();
        if (nativeBuild()) {
            command.add(Path.of(nativeImage).toAbsolutePath().toString());
        } else {
            command.add(System.getProperty("bench.java.path", ProcessHandle.current().info().command().orElse("java")));
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add("quarkus-run.jar");
        }
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile(Path.of("target"), "app-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("AMOCRM_") || name.equals("DATABASE_URL"));
            builder.environment().putAll(environment);
            return new PackagedApp(builder.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the exit code, at most {@code timeout}. */
    public int exitCode(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the application did not exit within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM, as Kubernetes and systemd stop a process. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        exitCode(Duration.ofSeconds(30));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls until the condition holds while this process runs, failing after {@code timeout} or when the process has
     * exited first, with the end of its output: what it said is what tells a slow run from a failed one.
     */
    public void awaitWhileRunning(String what, Duration timeout, BooleanSupplier condition) {
        try {
            await(what, timeout, () -> {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (!isAlive()) {
                    throw new AssertionError("the process exited before " + what);
                }
                return false;
            });
        } catch (AssertionError e) {
            String out = output();
            throw new AssertionError(e.getMessage() + "; its output ends:\n" + out.substring(Math.max(0, out.length() - 6_000)),
                    e);
        }
    }

    /** Polls until the condition holds, failing after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
