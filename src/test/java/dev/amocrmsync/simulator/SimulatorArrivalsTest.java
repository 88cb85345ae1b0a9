package dev.amocrmsync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/**
 * The simulator counts requests where amoCRM's gateway does, on arrival: an answer that takes long to build must not
 * hold back the requests arriving behind it, or they would be stamped together and earn a 429 the client never caused.
 */
class SimulatorArrivalsTest {

    private final Vertx vertx = Vertx.vertx();
    private final SimulatedAccount account = SimulatedAccount.withLeads(3, 20, Duration.ofDays(1));
    private final SimulatorServer server = SimulatorServer.start(vertx, account, "127.0.0.1", 0).acceptOnly("fake");
    // HTTP/1.1, a connection per request in flight, as the sync's client: an h2c upgrade would hold the later requests
    // back until the first answer
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void requestsArrivingWhileAPageIsBuiltAreStampedWhenTheyArrive() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        account.onLeadsRequest(request -> {
            if (first.getAndSet(false)) {
                sleep(600);
            }
        });
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();

        answers.add(send("/api/v4/leads?limit=250"));
        sleep(150);
        answers.add(send("/api/v4/account"));
        sleep(150);
        answers.add(send("/api/v4/account"));
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();

        List<Stats.Request> arrivals = server.stats().timeline();
        assertThat(arrivals).extracting(Stats.Request::path)
                .containsExactly("/api/v4/leads", "/api/v4/account", "/api/v4/account");
        assertThat(arrivals.get(2).at() - arrivals.get(1).at()).as("the two later requests were sent 150 ms apart")
                .isGreaterThan(75);
        assertThat(arrivals.get(1).at() - arrivals.get(0).at()).as("not held back by the slow page").isLessThan(450);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
    }

    @Test
    void requestsArrivingWhileSalespeopleWaitForAPageAreStampedWhenTheyArrive() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        account.onLeadsRequest(request -> {
            if (first.getAndSet(false)) {
                // a page that takes long to build holds the account, as building a big one does; the edits wait for it
                synchronized (account) {
                    sleep(600);
                }
            }
        });
        server.editsPerSecond(20, 20, 0);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();

        answers.add(send("/api/v4/leads?limit=250"));
        sleep(200);
        answers.add(send("/api/v4/account"));
        sleep(150);
        answers.add(send("/api/v4/account"));
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        server.editsPerSecond(0);

        List<Stats.Request> arrivals = server.stats().timeline();
        assertThat(arrivals).extracting(Stats.Request::path)
                .containsExactly("/api/v4/leads", "/api/v4/account", "/api/v4/account");
        assertThat(arrivals.get(2).at() - arrivals.get(1).at()).as("the two later requests were sent 150 ms apart")
                .isGreaterThan(75);
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer fake").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
