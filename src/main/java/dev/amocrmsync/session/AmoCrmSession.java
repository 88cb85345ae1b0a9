package dev.amocrmsync.session;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.amocrm.RequestBudget;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The logged-in amoCRM session the session service lends to its callers. Calls go straight to the account with the
 * session's cookies, within the account's request budget; when amoCRM says the session is gone, one login (shared by
 * every caller waiting at that moment) and one retry follow. After a login amoCRM refuses (wrong password, captcha,
 * second factor) it does not try again by itself for a while: repeated failed logins can lock the account.
 */
@ApplicationScoped
public class AmoCrmSession {

    private static final Duration LOGIN_BACKOFF = Duration.ofMinutes(5);

    private final SessionConfig config;
    private final AmoCrmConfig amoCrm;
    private final RequestBudget budget;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicReference<Uni<SessionCookies>> loginInFlight = new AtomicReference<>();
    private volatile URI account;
    private volatile BrowserLogin browser;
    private volatile HttpClient client;
    private volatile SessionCookies session;
    private volatile Instant lastLoginAt;
    private volatile LoginFailed lastFailure;
    private volatile Instant lastFailureAt;

    AmoCrmSession(SessionConfig config, AmoCrmConfig amoCrm, RequestBudget budget, Vertx vertx, Clock clock) {
        this.config = config;
        this.amoCrm = amoCrm;
        this.budget = budget;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** Readies the session: the one in the state file when there is one, else a login now. Blocking. */
    public void start() {
        account = AccountUrl.of(amoCrm);
        browser = new BrowserLogin(config, account);
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) amoCrm.connectTimeout().toMillis())
                .setIdleTimeout((int) amoCrm.readTimeout().toSeconds()).setVerifyHost(true));
        Optional<SessionCookies> stored = browser.restore();
        if (stored.isPresent()) {
            session = stored.get();
            Log.infof("Reusing the session stored in %s", config.stateFile());
        } else {
            try {
                login(true).await().atMost(config.loginTimeout().plusSeconds(60));
            } catch (LoginFailed e) {
                Log.errorf("%s", e.getMessage());
            }
        }
    }

    /** Whether this process is the session service (its endpoints answer only then). */
    public boolean started() {
        return browser != null;
    }

    /** {@code GET {account}{pathAndQuery}} with the session; logs in again once if amoCRM says it expired. */
    public Uni<ApiAnswer> get(String pathAndQuery) {
        return current().chain(cookies -> send(cookies, pathAndQuery))
                .chain(answer -> answer.sessionExpired()
                        ? login(false).chain(cookies -> send(cookies, pathAndQuery))
                        : Uni.createFrom().item(answer));
    }

    /** A fresh login now; {@code force} also skips the wait after a refused login. */
    public Uni<SessionCookies> relogin(boolean force) {
        return login(force);
    }

    public Status status() {
        LoginFailed failure = lastFailure;
        return new Status(session != null && failure == null, lastLoginAt, failure == null ? null : failure.getMessage(),
                failure == null ? null : failure.problem(), account);
    }

    /** What {@code /health} reports. */
    public record Status(boolean loggedIn, Instant lastLoginAt, String error, LoginProblem problem, URI account) {
    }

    private Uni<SessionCookies> current() {
        SessionCookies cookies = session;
        return cookies != null ? Uni.createFrom().item(cookies) : login(false);
    }

    private Uni<SessionCookies> login(boolean requested) {
        LoginFailed failure = lastFailure;
        if (!requested && failure != null && failure.problem() != LoginProblem.HOST_UNREACHABLE
                && lastFailureAt.plus(LOGIN_BACKOFF).isAfter(clock.instant())) {
            return Uni.createFrom().failure(failure);
        }
        Uni<SessionCookies> shared = Uni.createFrom().deferred(this::loginOnce).memoize().indefinitely();
        Uni<SessionCookies> running = loginInFlight.compareAndExchange(null, shared);
        return running != null ? running : shared;
    }

    private Uni<SessionCookies> loginOnce() {
        Optional<String> email = config.email().filter(e -> !e.isBlank());
        Optional<String> password = config.password().filter(p -> !p.isBlank());
        Uni<SessionCookies> attempt = email.isEmpty() || password.isEmpty()
                ? Uni.createFrom().failure(new LoginFailed(LoginProblem.NOT_CONFIGURED, null))
                : Uni.createFrom().completionStage(() -> browser.login(email.get(), password.get()))
                        .onFailure(java.util.concurrent.CompletionException.class).transform(Throwable::getCause);
        return attempt
                .invoke(cookies -> {
                    session = cookies;
                    lastLoginAt = clock.instant();
                    lastFailure = null;
                })
                .onFailure(LoginFailed.class).invoke(failed -> {
                    lastFailure = (LoginFailed) failed;
                    lastFailureAt = clock.instant();
                    session = null;
                    Log.errorf("%s", failed.getMessage());
                })
                .eventually(() -> loginInFlight.set(null))
                .emitOn(runnable -> vertx.getOrCreateContext().runOnContext(ignored -> runnable.run()));
    }

    private Uni<ApiAnswer> send(SessionCookies cookies, String pathAndQuery) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(account + pathAndQuery)
                .setFollowRedirects(false).setTimeout(amoCrm.readTimeout().toMillis())
                .putHeader("Accept", "application/hal+json, application/json");
        cookies.headersFor(account).forEach(options::putHeader);
        Consumer<HttpClientRequest> departures = budget.departures();
        return budget.acquireUntilWritten()
                .chain(() -> Uni.createFrom().completionStage(() -> client.request(options)
                        .compose(request -> {
                            // the budget counts the request from when its connection writes it
                            departures.accept(request);
                            return request.send();
                        })
                        .compose(response -> response.body().map(body -> new ApiAnswer(response.statusCode(),
                                response.getHeader("Content-Type"), response.getHeader("Date"),
                                body.length() == 0 ? null : body)))
                        .toCompletionStage()))
                // the caller retries a 429 itself; the budget slows down for every caller of the account meanwhile
                .call(answer -> {
                    if (answer.status() == 429) {
                        return budget.throttled(Duration.ofSeconds(1));
                    }
                    budget.answered();
                    return Uni.createFrom().voidItem();
                });
    }

    @PreDestroy
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
