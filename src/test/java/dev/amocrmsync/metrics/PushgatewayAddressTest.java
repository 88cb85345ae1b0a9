package dev.amocrmsync.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;

/** What reaches a Pushgateway behind basic auth, given the URL as users write it. */
class PushgatewayAddressTest {

    private HttpServer gateway;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            paths.add(exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            boolean allowed = exchange.getRequestHeaders().containsKey("Authorization");
            exchange.sendResponseHeaders(allowed ? 200 : 401, -1);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    @Test
    void theUrlsUserAndPasswordBecomeBasicAuthAndLeaveTheUrl() throws IOException {
        PushgatewayAddress address = PushgatewayAddress.of("http://sync-bot:fake%40pass:word@127.0.0.1:" + port() + "/")
                .orElseThrow();

        address.client().pushAdd(figures(), "amocrm-sync", Map.of("account", "geodrive.amocrm.ru"));

        assertThat(authorizations).containsExactly("Basic "
                + Base64.getEncoder().encodeToString("sync-bot:fake@pass:word".getBytes(StandardCharsets.UTF_8)));
        assertThat(paths).containsExactly("/metrics/job/amocrm-sync/account/geodrive.amocrm.ru");
        assertThat(address.toString()).doesNotContain("sync-bot").doesNotContain("fake");
        assertThat(address.named()).isEqualTo("127.0.0.1:" + port());
    }

    @Test
    void aUrlWithoutUserinfoPushesWithoutAuthorization() {
        PushgatewayAddress address = PushgatewayAddress.of("http://127.0.0.1:" + port()).orElseThrow();

        assertThat(address.user()).isEmpty();
        assertThatThrownBy(() -> address.client().pushAdd(figures(), "amocrm-sync", Map.of()))
                .hasMessageContaining(" was 401");
        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void aDefaultPortIsNamed() {
        assertThat(PushgatewayAddress.of("https://bot:fake-password@gateway.example").orElseThrow().named())
                .isEqualTo("gateway.example:443");
    }

    @Test
    void whatIsNoHttpUrlWithAHostIsRefused() {
        assertThat(PushgatewayAddress.of("prometheus-pushgateway:9091")).isEmpty();
        assertThat(PushgatewayAddress.of("ftp://gateway.example")).isEmpty();
        assertThat(PushgatewayAddress.of("https://bot:fake-password@push gateway:9091")).isEmpty();
        assertThat(PushgatewayAddress.of("http:///metrics")).isEmpty();
        assertThat(PushgatewayAddress.PROBLEM).contains("AMOCRM_METRICS_PUSHGATEWAY");
    }

    private int port() {
        return gateway.getAddress().getPort();
    }

    private static CollectorRegistry figures() {
        CollectorRegistry registry = new CollectorRegistry();
        Gauge.build("amocrm_sync_test_figure", "a figure").register(registry).set(1);
        return registry;
    }
}
