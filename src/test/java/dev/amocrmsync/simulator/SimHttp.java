package dev.amocrmsync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;

/** A simulator on a random port and plain HTTP requests to it, for the tests of the simulated lists. */
final class SimHttp implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Vertx vertx = Vertx.vertx();
    private final SimulatorServer server = SimulatorServer.start(vertx, new SimulatedAccount(1), "127.0.0.1", 0)
            .acceptOnly("fake");

    SimulatedAccount serve(SimulatedAccount account) {
        server.serve(account);
        return account;
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        String encoded = pathAndQuery.replace("[", "%5B").replace("]", "%5D").replace(" ", "%20");
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + encoded))
                .header("Authorization", "Bearer fake").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(String pathAndQuery) throws Exception {
        return get(pathAndQuery).statusCode();
    }

    JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The {@code _embedded.<key>} items of a 200 page. */
    JsonNode items(String pathAndQuery, String key) throws Exception {
        JsonNode items = json(pathAndQuery).path("_embedded").path(key);
        assertThat(items.isArray()).as(pathAndQuery).isTrue();
        return items;
    }

    /** Every item of a list, paged by number until 204. */
    List<JsonNode> all(String pathAndQuery, String key) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String glue = pathAndQuery.contains("?") ? "&" : "?";
        for (int page = 1;; page++) {
            HttpResponse<String> response = get(pathAndQuery + glue + "page=" + page);
            if (response.statusCode() == 204) {
                assertThat(response.body()).isEmpty();
                return all;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JSON.readTree(response.body()).path("_embedded").path(key).forEach(all::add);
        }
    }

    static Set<Long> ids(Iterable<JsonNode> items) {
        Set<Long> ids = new LinkedHashSet<>();
        items.forEach(item -> ids.add(item.path("id").asLong()));
        return ids;
    }

    static List<Long> order(Iterable<JsonNode> items) {
        List<Long> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("id").asLong()));
        return ids;
    }

    static List<Long> values(Iterable<JsonNode> items, String field) {
        List<Long> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).asLong()));
        return values;
    }

    @Override
    public void close() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
