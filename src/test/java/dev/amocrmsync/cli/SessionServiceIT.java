package dev.amocrmsync.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.amocrmsync.simulator.LoginPages;
import dev.amocrmsync.simulator.SimLead;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import dev.amocrmsync.testing.Db;
import dev.amocrmsync.testing.Mirror;
import dev.amocrmsync.testing.PackagedApp;
import dev.amocrmsync.testing.PostgresResource;
import dev.amocrmsync.testing.TestDatabase;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;

/**
 * The login/password mode as deployed: the session service and the sync as two processes of the packaged
 * application, the service logging in with a real headless Chromium to the simulated account's login page.
 */
class SessionServiceIT {

    private static final String EMAIL = "sync@example.test";
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final String SECRET = UUID.randomUUID().toString();
    private static final Duration EXIT = Duration.ofSeconds(120);

    private static SimulatorServer simulator;
    private static SimulatedAccount account;
    private static PackagedApp service;
    private static int port;

    @BeforeAll
    static void startService() throws IOException {
        // Playwright drives Chromium through a Node driver it unpacks and talks to by reflection-heavy JSON: the
        // session service is JVM-only, documented in src-native-docs/native.md
        Assumptions.assumeFalse(PackagedApp.nativeBuild(), "the session service runs on the JVM only");
        account = SimulatedAccount.withLeads(111, 1_200, Duration.ofDays(3));
        // the API answers the session only: no bearer token this simulator accepts is ever given out
        simulator = SimulatorServer.start(Vertx.vertx(), account, "127.0.0.1", 0).acceptOnly(UUID.randomUUID().toString());
        LoginPages.install(simulator, EMAIL, PASSWORD);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path state = Files.createTempDirectory(Path.of("target"), "session-service-").toAbsolutePath()
                .resolve("amocrm-session.json");
        service = PackagedApp.start(Map.of("AMOCRM_BASE_URL", simulator.url().toString(), "AMOCRM_EMAIL", EMAIL,
                "AMOCRM_PASSWORD", PASSWORD, "AMOCRM_PLAYWRIGHT_PORT", Integer.toString(port),
                "AMOCRM_STATE_FILE", state.toString(), "AMOCRM_SESSION_SECRET", SECRET), "session-service");
        RestAssured.port = port;
        PackagedApp.await("the session service is logged in", EXIT, () -> {
            try {
                return withSecret().get("/health").path("loggedIn").equals(Boolean.TRUE);
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopService() {
        if (service == null) {
            return;
        }
        service.terminate();
        service.exitCode(EXIT);
        simulator.close();
        RestAssured.reset();
    }

    @Test
    void healthSaysLoggedIn() {
        withSecret().get("/health").then().statusCode(200)
                .body("ok", equalTo(true)).body("service", equalTo("amocrm-session"))
                .body("lastLoginAt", notNullValue());
        assertThat(service.output()).doesNotContain(PASSWORD);
    }

    @Test
    void theOriginalEndpointsKeepWorking() {
        SimLead lead = account.liveLeads().values().iterator().next();
        long pipeline = lead.pipelineId();
        long inPipeline = account.liveLeads().values().stream().filter(l -> l.pipelineId() == pipeline).count();

        withSecret().get("/api/deals?limit=5").then().statusCode(200)
                .body("ok", equalTo(true)).body("_embedded.leads", hasSize(5));
        withSecret().get("/api/deals/all?pipeline_id=" + pipeline).then().statusCode(200)
                .body("ok", equalTo(true)).body("count", equalTo((int) inPipeline)).body("deals", hasSize((int) inPipeline));
        withSecret().get("/api/deals/" + lead.id()).then().statusCode(200)
                .body("ok", equalTo(true)).body("data.id", equalTo((int) lead.id()));
        withSecret().get("/api/pipelines/" + pipeline).then().statusCode(200).body("data.name", notNullValue());
        withSecret().get("/api/deals/1").then().statusCode(500).body("ok", equalTo(false)).body("error", notNullValue());
        withSecret().post("/api/relogin").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void itIsNeverAnOpenProxy() {
        withSecret().urlEncodingEnabled(false).get("/api/v4/leads/..%2F..%2Foauth2").then().statusCode(400);
        withSecret().get("/api/v4/leads;jsessionid=x").then().statusCode(400);
        withSecret().post("/api/v4/leads").then().statusCode(405);
        withSecret().get("/api/v5/leads").then().statusCode(404);
        withSecret().get("/admin").then().statusCode(404);
        withSecret().get("/api/v4/leads?limit=1").then().statusCode(200);
    }

    @Test
    void noSpellingOfAPathReachesTheSessionWithoutTheSecret() {
        for (String path : List.of("/health", "/health/", "//health", "/health;x=1", "/%68ealth", "/api/deals?limit=1",
                "/api/deals/?limit=1", "//api/deals?limit=1", "/api//deals?limit=1", "/api;x=1/deals?limit=1",
                "/%61pi/deals?limit=1", "/api/v4/leads?limit=1", "//api/v4/leads?limit=1", "/api/v4//leads?limit=1",
                "/api/deals/all", "/api/pipelines/1")) {
            int status = given().urlEncodingEnabled(false).get(path).statusCode();
            assertThat(status).as(path).isIn(400, 401, 404);
        }
        int relogin = given().urlEncodingEnabled(false).post("//api/relogin").statusCode();
        assertThat(relogin).isIn(400, 401, 404, 405);
        given().header("X-Session-Secret", "wrong").get("/health").then().statusCode(401);
    }

    private static io.restassured.specification.RequestSpecification withSecret() {
        return given().header("X-Session-Secret", SECRET);
    }

    @Test
    void aSyncThroughTheServiceEqualsATokenModeSync() {
        Db db = TestDatabase.emptied();
        Map<String, String> settings = new HashMap<>();
        settings.put("DATABASE_URL", PostgresResource.databaseUrl());
        settings.put("AMOCRM_PLAYWRIGHT_URL", "http://127.0.0.1:" + port);
        settings.put("AMOCRM_SESSION_SECRET", SECRET);

        PackagedApp sync = PackagedApp.start(settings);

        assertThat(sync.exitCode(EXIT)).as(sync.output()).isZero();
        assertThat(sync.output()).contains("login/password through the session service at http://127.0.0.1:" + port);
        Mirror.assertDatabaseEquals(db, account);
    }

    @Test
    void aSyncWithTheServiceDownSaysHowToStartIt() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        TestDatabase.emptied();

        PackagedApp sync = PackagedApp.start(Map.of("DATABASE_URL", PostgresResource.databaseUrl(),
                "AMOCRM_PLAYWRIGHT_URL", "http://127.0.0.1:" + closed));

        assertThat(sync.exitCode(EXIT)).isEqualTo(8);
        assertThat(sync.output()).contains("session service at http://127.0.0.1:" + closed + " does not answer",
                "amocrm-sync session-service", "AMOCRM_ACCESS_TOKEN");
    }
}
