package dev.amocrmsync.amocrm;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns HTTP answers and transport errors into the typed {@link AmoCrmException}s the retry policy understands. */
final class AmoCrmFailures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private AmoCrmFailures() {
    }

    static AmoCrmException fromResponse(Response response) {
        int status = response.getStatus();
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        String contentType = response.getHeaderString(HttpHeaders.CONTENT_TYPE);
        boolean html = (contentType != null && contentType.contains("html")) || body.stripLeading().startsWith("<");
        JsonNode problem = html ? null : parse(body);
        String detail = problem == null ? "" : describe(problem);
        return switch (status) {
            case 401 -> new Unauthorized("amoCRM refused the credentials (HTTP 401" + detail + ")");
            case 402 -> new AccountBlocked(402, "amoCRM answered HTTP 402 Payment Required" + detail
                    + ": the account is unpaid. Pay for the account in amoCRM, then run the sync again");
            // the block after repeated 429s is an HTML page; a user without the right to a list gets problem+json
            case 403 -> html ? new AccountBlocked(403, "amoCRM answered HTTP 403 Forbidden with an HTML page: the account"
                    + " or this server's IP is blocked (amoCRM does this after repeated 429s). Do not retry: ask amoCRM"
                    + " support to lift the block")
                    : new AccountBlocked(403, "amoCRM answered HTTP 403 Forbidden" + detail + ": the user the"
                            + " integration acts as may not read this (or the account is blocked). Give that user the"
                            + " right in amoCRM, or ask amoCRM support whether the account is blocked");
            case 429 -> new RateLimited(retryAfter(response.getHeaderString("Retry-After"), problem),
                    "amoCRM throttled the request (HTTP 429" + detail + ")");
            default -> status >= 500
                    ? new AmoCrmUnavailable(status, "amoCRM answered HTTP " + status + detail, null)
                    : new RequestRejected(status, "amoCRM rejected the request (HTTP " + status + detail + ")");
        };
    }

    /** Any failure of a call, described with the request it belonged to. */
    static Throwable classify(Throwable failure, String request) {
        AmoCrmException known = causeOfType(failure, AmoCrmException.class);
        if (known != null) {
            return known.forRequest(request);
        }
        // before the status: a 200 whose body does not parse arrives wrapped in a WebApplicationException too
        JacksonException json = causeOfType(failure, JacksonException.class);
        if (json != null) {
            return new MalformedResponse("amoCRM returned a body that is not the expected JSON: "
                    + firstLine(json.getOriginalMessage()), failure).forRequest(request);
        }
        if (failure instanceof WebApplicationException web && web.getResponse() != null
                && web.getResponse().getStatus() / 100 != 2) {
            return fromResponse(web.getResponse()).forRequest(request);
        }
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            return new MalformedResponse("amoCRM answered HTTP " + web.getResponse().getStatus()
                    + " with a body that could not be read: " + firstLine(rootMessage(failure)), failure)
                    .forRequest(request);
        }
        if (failure instanceof ProcessingException || causeOfType(failure, java.io.IOException.class) != null
                || causeOfType(failure, TimeoutException.class) != null
                || causeOfType(failure, ConnectException.class) != null
                || causeOfType(failure, io.vertx.core.VertxException.class) != null) {
            return new AmoCrmUnavailable(0, "no answer from amoCRM: " + firstLine(rootMessage(failure)), failure)
                    .forRequest(request);
        }
        return failure;
    }

    /** The pause a 429 asks for, never longer than {@link RequestBudget#LONGEST_PAUSE}. */
    private static Duration retryAfter(String header, JsonNode problem) {
        long seconds = DEFAULT_RETRY_AFTER.toSeconds();
        if (header != null && header.strip().matches("\\d{1,18}")) {
            seconds = Long.parseLong(header.strip());
        } else if (problem != null && problem.path("retry_after").canConvertToLong()) {
            seconds = Math.max(0, problem.path("retry_after").asLong());
        }
        return Duration.ofSeconds(Math.min(seconds, RequestBudget.LONGEST_PAUSE.toSeconds()));
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = body.isBlank() ? null : JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String describe(JsonNode problem) {
        StringBuilder text = new StringBuilder();
        String detail = problem.path("detail").asText(problem.path("title").asText(""));
        if (!detail.isBlank()) {
            text.append(": ").append(firstLine(detail));
        }
        JsonNode errors = problem.path("validation-errors");
        if (!errors.isMissingNode() && !errors.isNull()) {
            text.append("; validation errors: ").append(abbreviate(errors.toString()));
        }
        return text.toString();
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return abbreviate(newline < 0 ? text : text.substring(0, newline));
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
