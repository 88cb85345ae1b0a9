package dev.amocrmsync.session;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;

import io.quarkus.logging.Log;

/**
 * Logs in to amoCRM with a real headless Chromium, as a person would: the form with {@code input[name=username]},
 * {@code input[name=password]} and {@code button[type=submit]} (the password field may appear only after a first
 * step), then the pipeline page. Playwright objects belong to the thread that made them, so all of it runs on one
 * thread of its own; the browser starts on the first login only, never for a session restored from the state file.
 */
final class BrowserLogin implements AutoCloseable {

    private static final String ERROR = "[role=alert], .auth_form__error, [class*=error]:visible";
    private static final String CAPTCHA = ".g-recaptcha, iframe[title*=captcha i], iframe[src*=recaptcha]";
    private static final String SECOND_FACTOR = "input[name=code], input[autocomplete=one-time-code]";
    private static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic");

    private final SessionConfig config;
    private final URI account;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread playwrightThread = new Thread(task, "playwright");
        playwrightThread.setDaemon(true);
        return playwrightThread;
    });
    private Playwright playwright;
    private Browser browser;

    BrowserLogin(SessionConfig config, URI account) {
        this.config = config;
        this.account = account;
    }

    /** The session kept in the state file by an earlier login, without starting a browser. */
    Optional<SessionCookies> restore() {
        Path state = config.stateFile();
        if (!Files.isReadable(state)) {
            return Optional.empty();
        }
        try {
            JsonNode stored = json.readTree(state.toFile());
            List<SessionCookies.Cookie> cookies = new java.util.ArrayList<>();
            stored.path("cookies").forEach(cookie -> cookies.add(new SessionCookies.Cookie(cookie.path("name").asText(),
                    cookie.path("value").asText(), cookie.path("domain").asText(null), cookie.path("path").asText("/"))));
            SessionCookies session = new SessionCookies(cookies, stored.path("userAgent").asText(null));
            return session.isEmpty() ? Optional.empty() : Optional.of(session);
        } catch (IOException e) {
            Log.warnf("The stored session in %s cannot be read (%s); logging in again", state, e.getMessage());
            return Optional.empty();
        }
    }

    /** A fresh login; the session is saved to the state file (readable by this user only) before it is returned. */
    CompletableFuture<SessionCookies> login(String email, String password) {
        return CompletableFuture.supplyAsync(() -> loginNow(email, password), thread);
    }

    private SessionCookies loginNow(String email, String password) {
        long started = System.nanoTime();
        try (BrowserContext context = browser().newContext()) {
            Page page = context.newPage();
            page.setDefaultTimeout(config.loginTimeout().toMillis());
            open(page);
            if (!onPipeline(page)) {
                fillForm(page, email, password);
                awaitPipeline(page);
            }
            String userAgent = (String) page.evaluate("() => navigator.userAgent");
            List<SessionCookies.Cookie> cookies = context.cookies(account.toString()).stream()
                    .map(c -> new SessionCookies.Cookie(c.name, c.value, c.domain, c.path)).toList();
            save(context, userAgent);
            Log.infof("Logged in to %s in %d ms", account, Duration.ofNanos(System.nanoTime() - started).toMillis());
            return new SessionCookies(cookies, userAgent);
        } catch (PlaywrightException e) {
            throw new LoginFailed(LoginProblem.PAGE_CHANGED, reason(e));
        }
    }

    private void open(Page page) {
        try {
            page.navigate(account + "/");
        } catch (PlaywrightException e) {
            if (String.valueOf(e.getMessage()).contains("net::ERR_")) {
                throw new LoginFailed(LoginProblem.HOST_UNREACHABLE, reason(e));
            }
            throw e;
        }
    }

    private void fillForm(Page page, String email, String password) {
        Locator username = page.locator("input[name=username]");
        if (!appears(username, Duration.ofSeconds(15))) {
            throw blocker(page).orElseGet(() -> new LoginFailed(LoginProblem.PAGE_CHANGED,
                    "no input[name=username] on " + page.url()));
        }
        username.fill(email);
        Locator passwordField = page.locator("input[name=password]");
        if (!passwordField.isVisible()) {
            // two-step forms show the password only after "Next"
            page.locator("button[type=submit]").first().click();
            if (!appears(passwordField, Duration.ofSeconds(15))) {
                throw blocker(page).orElseGet(() -> new LoginFailed(LoginProblem.PAGE_CHANGED,
                        "the password field did not appear after the first step"));
            }
        }
        passwordField.fill(password);
        page.locator("button[type=submit]").first().click();
    }

    private void awaitPipeline(Page page) {
        long deadline = System.nanoTime() + config.loginTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (onPipeline(page)) {
                return;
            }
            Optional<LoginFailed> blocked = blocker(page);
            if (blocked.isPresent()) {
                throw blocked.get();
            }
            page.waitForTimeout(200);
        }
        throw new LoginFailed(LoginProblem.PAGE_CHANGED, "no pipeline page within " + config.loginTimeout().toSeconds()
                + " s of submitting the form; the page is " + page.url());
    }

    /** What keeps the login from going on, if anything visible on the page says so. */
    private static Optional<LoginFailed> blocker(Page page) {
        if (page.locator(CAPTCHA).count() > 0) {
            return Optional.of(new LoginFailed(LoginProblem.CAPTCHA, null));
        }
        if (page.locator(SECOND_FACTOR).count() > 0) {
            return Optional.of(new LoginFailed(LoginProblem.SECOND_FACTOR, null));
        }
        Locator error = page.locator(ERROR);
        if (error.count() > 0 && error.first().isVisible()) {
            return Optional.of(new LoginFailed(LoginProblem.WRONG_CREDENTIALS, "the page says: "
                    + firstLine(error.first().innerText())));
        }
        return Optional.empty();
    }

    private static boolean onPipeline(Page page) {
        return page.url().matches(".*/pipeline/.*");
    }

    private static boolean appears(Locator locator, Duration within) {
        try {
            locator.first().waitFor(new Locator.WaitForOptions().setTimeout(within.toMillis())
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.VISIBLE));
            return true;
        } catch (PlaywrightException e) {
            return false;
        }
    }

    private void save(BrowserContext context, String userAgent) {
        Path state = config.stateFile().toAbsolutePath();
        try {
            Files.createDirectories(state.getParent());
            Path written = Files.createTempFile(state.getParent(), ".session-", ".json");
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            context.storageState(new BrowserContext.StorageStateOptions().setPath(written));
            com.fasterxml.jackson.databind.node.ObjectNode stored = (com.fasterxml.jackson.databind.node.ObjectNode) json
                    .readTree(written.toFile());
            stored.put("userAgent", userAgent);
            json.writeValue(written.toFile(), stored);
            Files.move(written, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            Log.warnf("The session could not be saved to %s (%s); the next start logs in again", state, e.getMessage());
        }
    }

    private Browser browser() {
        if (browser == null) {
            try {
                if (playwright == null) {
                    playwright = Playwright.create(new Playwright.CreateOptions()
                            .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                }
                browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(config.chromium()).setHeadless(true).setArgs(CHROMIUM_ARGS));
            } catch (PlaywrightException e) {
                throw new LoginFailed(LoginProblem.BROWSER_UNAVAILABLE, reason(e));
            }
        }
        return browser;
    }

    @Override
    public void close() {
        CompletableFuture.runAsync(() -> {
            if (playwright != null) {
                playwright.close();
                playwright = null;
                browser = null;
            }
        }, thread).join();
        thread.shutdown();
    }

    /** Playwright's own message, without the JavaScript stack it wraps it in. */
    private static String reason(PlaywrightException e) {
        String text = String.valueOf(e.getMessage());
        java.util.regex.Matcher message = java.util.regex.Pattern.compile("message='([^\n]*)").matcher(text);
        return message.find() ? message.group(1).strip() : firstLine(text);
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }
}
