package dev.amocrmsync.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.amocrm.RequestBudget;
import dev.amocrmsync.simulator.LoginPages;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.TestConfigs;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Logging in with a real headless Chromium against the simulated account's login page, and keeping the session. */
class AmoCrmSessionTest {

    private static final String EMAIL = "sync@example.test";
    private static final String PASSWORD = UUID.randomUUID().toString();

    private static Vertx vertx;
    private static SimulatorServer simulator;
    private static LoginPages login;
    private Path stateFile;
    private AmoCrmSession session;

    @BeforeAll
    static void account() {
        vertx = Vertx.vertx();
        simulator = SimulatorServer.start(vertx, SimulatedAccount.withLeads(101, 50, Duration.ofDays(1)), "127.0.0.1", 0)
                .acceptOnly(UUID.randomUUID().toString());
        login = LoginPages.install(simulator, EMAIL, PASSWORD);
    }

    @AfterAll
    static void close() {
        simulator.close();
        vertx.close();
    }

    @BeforeEach
    void freshState() throws IOException {
        stateFile = Files.createTempDirectory(Path.of("target"), "session-").resolve("amocrm-session.json");
        login.variant(LoginPages.Variant.ONE_STEP);
        login.expireAll();
    }

    @AfterEach
    void stop() {
        if (session != null) {
            session.stop();
        }
    }

    @Test
    void logsInThroughTheFormAndCallsTheApiWithTheSession() throws IOException {
        int before = login.logins();
        session = start(PASSWORD);

        assertThat(login.logins()).isEqualTo(before + 1);
        assertThat(session.status().loggedIn()).isTrue();
        assertThat(get("/api/v4/leads?limit=2").status()).isEqualTo(200);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateFile))).isEqualTo("rw-------");
        assertThat(Files.readString(stateFile)).doesNotContain(PASSWORD);
    }

    @Test
    void theStoredSessionIsReusedWithoutALogin() {
        session = start(PASSWORD);
        session.stop();
        int before = login.logins();

        session = start(PASSWORD);

        assertThat(login.logins()).as("no second login").isEqualTo(before);
        assertThat(get("/api/v4/leads?limit=1").status()).isEqualTo(200);
    }

    @Test
    void anExpiredSessionLogsInAgainOnceForEveryWaitingCaller() {
        session = start(PASSWORD);
        login.expireAll();
        int before = login.logins();

        List<ApiAnswer> answers = Uni.join().all(List.of(session.get("/api/v4/leads?limit=1"),
                session.get("/api/v4/leads?limit=1"), session.get("/api/v4/leads?limit=1"))).andFailFast()
                .await().atMost(Duration.ofSeconds(60));

        assertThat(answers).extracting(ApiAnswer::status).containsOnly(200);
        assertThat(login.logins()).as("one login for three callers").isEqualTo(before + 1);
    }

    @Test
    void aFormThatShowsThePasswordAfterNextIsFilledInTwoSteps() {
        login.variant(LoginPages.Variant.TWO_STEP);

        session = start(PASSWORD);

        assertThat(session.status().loggedIn()).isTrue();
        assertThat(get("/api/v4/leads?limit=1").status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsReportedAndNotTriedAgainAndAgain() {
        int attempts = login.attempts();

        session = start("not-" + PASSWORD);

        assertThat(session.status().problem()).isEqualTo(LoginProblem.WRONG_CREDENTIALS);
        assertThat(session.status().error()).contains("Неверный логин или пароль").doesNotContain(PASSWORD);
        assertThatThrownBy(() -> get("/api/v4/leads")).isInstanceOf(LoginFailed.class);
        assertThat(login.attempts()).as("one attempt, however many calls").isEqualTo(attempts + 1);
    }

    @Test
    void aCaptchaAndASecondFactorAreToldApart() {
        login.variant(LoginPages.Variant.CAPTCHA);
        session = start(PASSWORD);
        assertThat(session.status().problem()).isEqualTo(LoginProblem.CAPTCHA);
        session.stop();

        login.variant(LoginPages.Variant.SECOND_FACTOR);
        session = start(PASSWORD);
        assertThat(session.status().problem()).isEqualTo(LoginProblem.SECOND_FACTOR);
    }

    @Test
    void anUnreachableHostIsReportedAsSuch() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        session = start(PASSWORD, "http://127.0.0.1:" + closed);

        assertThat(session.status().problem()).isEqualTo(LoginProblem.HOST_UNREACHABLE);
    }

    private AmoCrmSession start(String password) {
        return start(password, simulator.url().toString());
    }

    private AmoCrmSession start(String password, String account) {
        TestConfigs.AmoCrm amoCrm = TestConfigs.AmoCrm.of(null, account);
        AmoCrmSession started = new AmoCrmSession(TestConfigs.Session.loggingInAs(EMAIL, password, stateFile), amoCrm,
                new RequestBudget(amoCrm, vertx), vertx, Clock.systemUTC());
        started.start();
        return started;
    }

    private ApiAnswer get(String path) {
        return session.get(path).await().atMost(Duration.ofSeconds(60));
    }
}
