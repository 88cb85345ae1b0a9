package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;

/**
 * When a request really leaves: a pooled connection belongs to the event loop that opened it, and a request sent from
 * another loop is written only when that one gets to it. The budget must hear of the write, not of the hand-over.
 */
class DeparturesTest {

    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aRequestOnTheConnectionOfABusyEventLoopIsReportedWhenThatLoopWroteIt() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().end("ok")).listen(0)
                .toCompletionStage().toCompletableFuture().join();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(1));
        RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort())
                .setURI("/");
        Context owner = newContext();
        Context other = newContext();
        for (int tries = 0; tries < 10 && threadOf(other).equals(threadOf(owner)); tries++) {
            other = newContext();
        }
        assertThat(threadOf(other)).as("two event loops").isNotEqualTo(threadOf(owner));
        // the connection is opened from the owner's event loop, and belongs to it
        on(owner, () -> client.request(get).compose(request -> request.send()).compose(response -> response.body()));

        AtomicLong handedOver = new AtomicLong();
        AtomicLong ownerFree = new AtomicLong();
        AtomicLong departed = new AtomicLong();
        AtomicInteger reports = new AtomicInteger();
        CountDownLatch ownerBusy = new CountDownLatch(1);
        on(other, () -> client.request(get).compose(request -> {
            owner.runOnContext(ignored -> {
                ownerBusy.countDown();
                long until = System.nanoTime() + BUSY_NANOS;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // parsing a large answer, say
                }
                ownerFree.set(System.nanoTime());
            });
            await(ownerBusy);
            Departures.watch(request, () -> {
                reports.incrementAndGet();
                departed.set(System.nanoTime());
            });
            handedOver.set(System.nanoTime());
            return request.send();
        }).compose(response -> response.body()));

        assertThat(reports).as("reported once").hasValue(1);
        assertThat(handedOver.get()).as("handed over while the connection's loop was busy").isLessThan(ownerFree.get());
        assertThat(departed.get()).as("reported once that loop wrote it").isGreaterThanOrEqualTo(ownerFree.get());
        client.close();
        server.close();
    }

    /** A context of its own: Vert.x gives a thread outside it the same context every time it asks. */
    private Context newContext() throws Exception {
        Context[] context = new Context[1];
        Thread thread = new Thread(() -> context[0] = vertx.getOrCreateContext());
        thread.start();
        thread.join();
        return context[0];
    }

    private static String threadOf(Context context) throws Exception {
        String[] name = new String[1];
        CountDownLatch done = new CountDownLatch(1);
        context.runOnContext(ignored -> {
            name[0] = Thread.currentThread().getName();
            done.countDown();
        });
        await(done);
        return name[0];
    }

    private static void on(Context context, java.util.function.Supplier<Future<?>> action) {
        java.util.concurrent.CompletableFuture<Object> result = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(ignored -> action.get().onComplete(done -> {
            if (done.succeeded()) {
                result.complete(done.result());
            } else {
                result.completeExceptionally(done.cause());
            }
        }));
        result.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
