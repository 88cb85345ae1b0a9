package dev.amocrmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.testing.PackagedApp;

/**
 * The packaged {@code simulate} command serves the account's history and work: tasks, notes with calls, the leads'
 * moves in the event log, and an account older than the loss-reasons endpoint when asked.
 */
class SimulateProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+) ");

    @Test
    void servesTasksNotesAndStatusChanges() throws Exception {
        PackagedApp app = PackagedApp.start(Map.of(), "simulate", "--port", "0", "--leads", "400", "--contacts", "200",
                "--companies", "40", "--tasks", "500", "--notes", "900", "--history", "30d", "--crowded-seconds", "1",
                "--no-loss-reasons", "--token", "fake");
        try {
            PackagedApp.await("the simulator listens", Duration.ofSeconds(60), () -> URL.matcher(app.output()).find());
            Matcher found = URL.matcher(app.output());
            assertThat(found.find()).isTrue();
            String base = found.group(1);
            assertThat(app.output()).contains("500 tasks", "status changes");

            JsonNode tasks = get(base, "/api/v4/tasks?limit=250&filter%5Bis_completed%5D=0");
            assertThat(tasks.path("_embedded").path("tasks").size()).isPositive();
            JsonNode calls = get(base,
                    "/api/v4/leads/notes?limit=250&filter%5Bnote_type%5D%5B%5D=call_in&filter%5Bnote_type%5D%5B%5D=call_out");
            assertThat(calls.path("_embedded").path("notes").findValuesAsText("note_type")).isNotEmpty()
                    .allMatch(type -> type.startsWith("call_"));
            JsonNode moves = get(base, "/api/v4/events?filter%5Btype%5D=lead_status_changed&limit=100");
            assertThat(moves.path("_embedded").path("events").get(0).path("value_after").get(0).has("lead_status"))
                    .isTrue();
            assertThat(status(base, "/api/v4/leads/loss_reasons")).isEqualTo(404);
            assertThat(status(base, "/api/v4/leads/tags")).isEqualTo(200);
        } finally {
            app.terminate();
            app.exitCode(Duration.ofSeconds(30));
        }
    }

    private static JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> response = send(base, path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int status(String base, String path) throws Exception {
        return send(base, path).statusCode();
    }

    private static HttpResponse<String> send(String base, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer fake").build(), HttpResponse.BodyHandlers.ofString());
    }
}
