package dev.amocrmsync.session;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The session service's HTTP API: {@code /health}, a read-only pass-through to the account's {@code /api/v4} (GET
 * only, API paths only, always to the configured account: never an open proxy), and the original Node service's
 * endpoints, so existing consumers keep working. Errors of the original endpoints are {@code {ok: false, error}}.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private static final Pattern API_PATH = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");
    private static final int PAGE = 250;

    private final AmoCrmSession session;
    private final ObjectMapper json;

    SessionResource(AmoCrmSession session, ObjectMapper json) {
        this.session = session;
        this.json = json;
    }

    @GET
    @Path("health")
    public Response health() {
        AmoCrmSession.Status status = session.status();
        ObjectNode body = json.createObjectNode().put("ok", status.loggedIn()).put("service", "amocrm-session")
                .put("loggedIn", status.loggedIn())
                .put("lastLoginAt", status.lastLoginAt() == null ? null : status.lastLoginAt().toString())
                .put("account", String.valueOf(status.account()));
        if (status.error() != null) {
            body.put("error", status.error()).put("problem", status.problem().name());
        }
        return Response.ok(body).build();
    }

    /** {@code GET /api/v4/...} with the logged-in session; amoCRM's answer is passed on as it came. */
    @GET
    @Path("api/v4/{path: .*}")
    @Produces(MediaType.WILDCARD)
    public Uni<Response> passThrough(@PathParam("path") String path, @Context UriInfo uri) {
        if (!API_PATH.matcher(path).matches()) {
            return Uni.createFrom().item(error(Response.Status.BAD_REQUEST, "only amoCRM API v4 paths are passed through"));
        }
        String query = uri.getRequestUri().getRawQuery();
        return session.get("/api/v4/" + path + (query == null ? "" : "?" + query))
                .map(answer -> {
                    Response.ResponseBuilder response = Response.status(answer.status());
                    if (answer.contentType() != null) {
                        response.type(answer.contentType());
                    }
                    if (answer.date() != null) {
                        response.header("Date", answer.date());
                    }
                    return answer.body() == null ? response.build() : response.entity(answer.body().getBytes()).build();
                });
    }

    /**
     * Logs in again. After a login amoCRM refused, it waits out the backoff unless {@code force=true}: repeated failed
     * logins can lock the account.
     */
    @POST
    @Path("api/relogin")
    public Uni<ObjectNode> relogin(@RestQuery boolean force) {
        return session.relogin(force).map(done -> json.createObjectNode().put("ok", true).put("message", "logged in again"));
    }

    /** One page of leads, as the original {@code GET /api/deals}: {@code {ok: true, ...page}}. */
    @GET
    @Path("api/deals")
    public Uni<JsonNode> deals(@RestQuery("pipeline_id") Long pipelineId, @RestQuery("status_id") Long statusId,
            @RestQuery Integer limit, @RestQuery Integer page, @RestQuery("updated_since") String updatedSince) {
        Map<String, String> filter = filter(pipelineId, statusId, updatedSince);
        filter.put("limit", Integer.toString(limit == null ? 50 : Math.min(limit, PAGE)));
        filter.put("page", Integer.toString(page == null ? 1 : page));
        return api("/api/v4/leads", filter).map(answer -> {
            ObjectNode body = json.createObjectNode().put("ok", true);
            if (answer.isObject()) {
                body.setAll((ObjectNode) answer);
            } else {
                body.putObject("_embedded").putArray("leads");
            }
            return body;
        });
    }

    /**
     * Every matching lead, as the original {@code GET /api/deals/all}: {@code {ok, count, deals}}. Pages are read in id
     * order, which edits do not reshuffle (the original's unordered paging lost leads edited meanwhile).
     */
    @GET
    @Path("api/deals/all")
    public Uni<ObjectNode> allDeals(@RestQuery("pipeline_id") Long pipelineId, @RestQuery("status_id") Long statusId,
            @RestQuery("updated_since") String updatedSince) {
        Map<String, String> filter = filter(pipelineId, statusId, updatedSince);
        filter.put("order[id]", "asc");
        filter.put("limit", Integer.toString(PAGE));
        ArrayNode deals = json.createArrayNode();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        int[] page = { 0 };
        return Multi.createBy().repeating().uni(() -> {
            Map<String, String> query = new LinkedHashMap<>(filter);
            query.put("page", Integer.toString(++page[0]));
            return api("/api/v4/leads", query);
        }).whilst(answer -> answer.path("_embedded").path("leads").size() == PAGE)
                .onItem().invoke(answer -> answer.path("_embedded").path("leads").forEach(lead -> {
                    if (seen.add(lead.path("id").asLong())) {
                        deals.add(lead);
                    }
                }))
                .onItem().ignoreAsUni()
                .map(done -> {
                    ObjectNode body = json.createObjectNode().put("ok", true).put("count", deals.size());
                    body.set("deals", deals);
                    return body;
                });
    }

    @GET
    @Path("api/deals/{id}")
    public Uni<ObjectNode> deal(@PathParam("id") long id) {
        return api("/api/v4/leads/" + id, Map.of("with", "contacts")).map(lead -> data(lead));
    }

    @GET
    @Path("api/deals/{id}/notes")
    public Uni<ObjectNode> notes(@PathParam("id") long id) {
        return api("/api/v4/leads/" + id + "/notes", Map.of()).map(answer -> {
            JsonNode notes = answer.path("_embedded").path("notes");
            ObjectNode body = json.createObjectNode().put("ok", true).put("count", notes.size());
            body.set("data", notes.isArray() ? notes : json.createArrayNode());
            return body;
        });
    }

    @GET
    @Path("api/pipelines/{id}")
    public Uni<ObjectNode> pipeline(@PathParam("id") long id) {
        return api("/api/v4/leads/pipelines/" + id, Map.of()).map(this::data);
    }

    /** A refused login is a 401 (the sync then says what to fix instead of retrying); the rest as the original did. */
    @ServerExceptionMapper
    Response loginFailed(LoginFailed failure) {
        return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .entity(json.createObjectNode().put("ok", false).put("error", failure.getMessage())
                        .put("title", "Unauthorized").put("status", 401).put("detail", failure.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    Response failed(Exception failure) {
        return error(Response.Status.INTERNAL_SERVER_ERROR, String.valueOf(failure.getMessage()));
    }

    private ObjectNode data(JsonNode data) {
        ObjectNode body = json.createObjectNode().put("ok", true);
        body.set("data", data);
        return body;
    }

    private Uni<JsonNode> api(String path, Map<String, String> query) {
        StringBuilder url = new StringBuilder(path);
        char separator = '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return session.get(url.toString()).map(answer -> {
            if (answer.status() == 204) {
                return json.createObjectNode();
            }
            String body = answer.body() == null ? "" : answer.body().toString(StandardCharsets.UTF_8);
            if (answer.status() / 100 != 2) {
                throw new IllegalStateException("amoCRM answered HTTP " + answer.status() + " to GET " + path);
            }
            try {
                return json.readTree(body);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("amoCRM answered GET " + path + " with something that is not JSON");
            }
        });
    }

    private static Map<String, String> filter(Long pipelineId, Long statusId, String updatedSince) {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("with", "contacts");
        if (statusId != null) {
            if (pipelineId == null) {
                throw new IllegalArgumentException("status_id needs pipeline_id: 142 and 143 exist in every pipeline");
            }
            filter.put("filter[statuses][0][pipeline_id]", pipelineId.toString());
            filter.put("filter[statuses][0][status_id]", statusId.toString());
        } else if (pipelineId != null) {
            filter.put("filter[pipeline_id]", pipelineId.toString());
        }
        if (updatedSince != null && !updatedSince.isBlank()) {
            String since = updatedSince.strip();
            filter.put("filter[updated_at][from]", since.matches("\\d+") ? since
                    : Long.toString(java.time.Instant.parse(since).getEpochSecond()));
        }
        return filter;
    }

    private Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(json.createObjectNode().put("ok", false).put("error", message)).build();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

}
