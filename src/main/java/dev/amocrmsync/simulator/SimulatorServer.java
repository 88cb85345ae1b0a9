package dev.amocrmsync.simulator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves a {@link SimulatedAccount} over HTTP as amoCRM API v4 does: HAL JSON bodies, 204 for nothing, problem+json
 * errors, bearer tokens, and whatever {@link Faults} are switched on. Runs on its own port, in tests and in the
 * {@code simulate} command alike.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final String HAL = "application/hal+json";
    private static final String PROBLEM = "application/problem+json";

    private final Vertx vertx;
    private volatile SimulatedAccount account;
    private final Stats stats = new Stats();
    private final Router router;
    private HttpServer server;
    private volatile String acceptedToken;
    private final List<java.util.function.Predicate<RoutingContext>> alsoAuthenticated = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long editorTimer = -1;

    /** An answer as the handlers build it, sent once its latency has passed. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply json(byte[] body) {
            return new Reply(200, HAL, body, Map.of());
        }

        static Reply noContent() {
            return new Reply(204, null, null, Map.of());
        }

        static Reply problem(int status, String title, String detail) {
            return new Reply(status, PROBLEM, LeadJson.problem(status, title, detail, null), Map.of());
        }
    }

    private SimulatorServer(Vertx vertx, SimulatedAccount account) {
        this.vertx = vertx;
        this.account = account;
        this.router = Router.router(vertx);
        // the generic lists first: /api/v4/leads/:id below would take /api/v4/leads/notes for a lead called "notes"
        for (SimRoute route : SimLists.routes()) {
            router.getWithRegex(route.regex()).handler(ctx -> api(ctx,
                    c -> reply(route.handler().answer(this.account, SimQuery.of(c), url().toString()))));
        }
        router.get("/api/v4/account").handler(ctx -> api(ctx, c -> Reply.json(new io.vertx.core.json.JsonObject()
                .put("id", account.accountId()).put("name", "Simulated account")
                .put("subdomain", "simulated" + account.accountId())
                .put("current_user_id", 8_000_001).put("country", "RU").put("currency", "RUB")
                // as amoCRM: the time zone only when asked for
                .put("_embedded", String.valueOf(c.request().getParam("with")).contains("datetime_settings")
                        ? new io.vertx.core.json.JsonObject().put("datetime_settings", new io.vertx.core.json.JsonObject()
                                .put("timezone", "Europe/Moscow").put("timezone_offset", "+03:00"))
                        : new io.vertx.core.json.JsonObject())
                .encode().getBytes(StandardCharsets.UTF_8))));
        router.get("/api/v4/users").handler(ctx -> api(ctx, c -> catalogPage(c, 250,
                (page, limit) -> CatalogJson.users(this.account.catalogs().users(), page, limit, url().toString()))));
        for (String entity : List.of("leads", "contacts", "companies")) {
            router.get("/api/v4/" + entity + "/custom_fields").handler(ctx -> api(ctx, c -> catalogPage(c, 50,
                    (page, limit) -> CatalogJson.fields(entity, this.account.catalogs().fields(entity), page, limit,
                            url().toString()))));
        }
        router.get("/api/v4/leads").handler(ctx -> api(ctx, this::leads));
        router.get("/api/v4/leads/:id").handler(ctx -> api(ctx, this::lead));
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one) and returns once listening. Blocks: call it from a
     * main or worker thread, never from an event loop.
     */
    public static SimulatorServer start(Vertx vertx, SimulatedAccount account, String host, int port) {
        SimulatorServer simulator = new SimulatorServer(vertx, account);
        simulator.server = vertx.createHttpServer().requestHandler(simulator.router).listen(port, host)
                .toCompletionStage().toCompletableFuture().join();
        return simulator;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    public int port() {
        return server.actualPort();
    }

    public SimulatedAccount account() {
        return account;
    }

    /** Serves another account from now on (tests start each case from a fresh one); the request stats restart. */
    public SimulatorServer serve(SimulatedAccount next) {
        this.account = next;
        stats.reset();
        return this;
    }

    public Stats stats() {
        return stats;
    }

    /** The router, for features that add their own pages (the login form, the OAuth endpoint). */
    public Router router() {
        return router;
    }

    /** Only this bearer token is accepted from now on; {@code null} accepts any non-blank token. */
    public SimulatorServer acceptOnly(String token) {
        this.acceptedToken = token;
        return this;
    }

    /** Requests this predicate accepts are authenticated too: the web login's sessions. */
    SimulatorServer authenticateAlsoBy(java.util.function.Predicate<RoutingContext> predicate) {
        alsoAuthenticated.add(predicate);
        return this;
    }

    /**
     * Salespeople at work: this many changes per second of each kind (leads, contacts and companies edited, leads
     * moved, tasks, calls and notes; see {@link SimulatedAccount#salesTeamAtWork}), until stopped (0 stops).
     */
    public SimulatorServer editsPerSecond(double rate) {
        return editsPerSecond(rate, rate, rate);
    }

    /** Salespeople at work, at a rate of their own per entity (per second; all 0 stops). */
    public synchronized SimulatorServer editsPerSecond(double leads, double contacts, double companies) {
        if (editorTimer >= 0) {
            vertx.cancelTimer(editorTimer);
            editorTimer = -1;
        }
        if (leads > 0 || contacts > 0 || companies > 0) {
            long period = 100;
            double[] perTick = { leads * period / 1000.0, contacts * period / 1000.0, companies * period / 1000.0 };
            double[] owed = new double[3];
            editorTimer = vertx.setPeriodic(period, id -> {
                int[] due = new int[3];
                for (int i = 0; i < 3; i++) {
                    owed[i] += perTick[i];
                    due[i] = (int) owed[i];
                    owed[i] -= due[i];
                }
                // on a worker: an edit waits for the account's lock while a page is built, and the event loop that
                // waited with it would stamp the requests arriving meanwhile late, all together
                SimulatedAccount current = account;
                vertx.executeBlocking(() -> {
                    if (due[0] > 0) {
                        // the work around the deals keeps pace with them: moves, tasks, calls and notes
                        current.editRandom(due[0]);
                        current.moveRandomLeads(due[0]);
                        current.tasks().workOnRandom(due[0]);
                        current.notes().workOnRandom(due[0]);
                    }
                    if (due[1] > 0) {
                        current.editRandomContacts(due[1]);
                    }
                    if (due[2] > 0) {
                        current.editRandomCompanies(due[2]);
                    }
                    return null;
                }, true);
            });
        }
        return this;
    }

    @Override
    public void close() {
        editsPerSecond(0);
        server.close().toCompletionStage().toCompletableFuture().join();
    }

    private void api(RoutingContext ctx, Function<RoutingContext, Reply> handler) {
        counted(ctx, handler, true, Duration.ZERO);
    }

    /**
     * A request outside the API (the OAuth token endpoint) that amoCRM's gateway may count against the same limit, as
     * strictly as an API request: stamped on arrival, in the same sliding window, answered {@code answerAfter} later
     * than the API's latency. No bearer token is asked for.
     */
    void counted(RoutingContext ctx, Function<RoutingContext, Reply> handler, Duration answerAfter) {
        counted(ctx, handler, false, answerAfter);
    }

    private void counted(RoutingContext ctx, Function<RoutingContext, Reply> handler, boolean bearer,
            Duration answerAfter) {
        long onTheWay = account.faults().arrivalDelayMillis();
        if (onTheWay > 0) {
            long due = System.nanoTime() + onTheWay * 1_000_000;
            vertx.setTimer(onTheWay, id -> arrived(ctx, handler, due, bearer, answerAfter));
        } else {
            arrived(ctx, handler, System.nanoTime(), bearer, answerAfter);
        }
    }

    /**
     * Stamps and counts the request where amoCRM's gateway would, on arrival, then builds the answer on a worker, one
     * request after another in arrival order. Building a page of 250 items takes milliseconds to tens of them on a
     * loaded machine: built on the event loop, it held back the requests arriving meanwhile, which were then stamped
     * together and could make eight in a second that the client had sent well apart.
     */
    private void arrived(RoutingContext ctx, Function<RoutingContext, Reply> handler, long dueNanos, boolean bearer,
            Duration answerAfter) {
        long arrivedAt = System.currentTimeMillis();
        long arrivedNanos = System.nanoTime();
        // how late this simulator stamps the request (its event loop or its JVM busy): shown beside the arrivals, so
        // that a 429 the simulator caused by stamping late is not taken for the client's
        long stampedLate = Math.max(0, arrivedNanos - dueNanos);
        Faults faults = account.faults();
        long number = faults.nextRequestNumber();
        Reply refused = refusal(ctx, faults, number, arrivedNanos, bearer);
        vertx.executeBlocking(() -> refused != null ? refused : handler.apply(ctx), true).onComplete(built -> {
            if (built.failed()) {
                ctx.fail(built.cause());
                return;
            }
            Reply answer = built.result();
            // stamped on arrival, before the answer was built: a delayed answer must not land in the counts of whatever
            // runs after it, and the time spent building a page must not blur the spacing a rate test looks at
            stats.record(arrivedAt, arrivedNanos, stampedLate, ctx.request().path(), decoded(ctx.request().query()),
                    answer.status());
            Duration delay = faults.delayFor().plus(answerAfter);
            if (delay.isZero()) {
                send(ctx, answer);
            } else {
                vertx.setTimer(delay.toMillis(), id -> send(ctx, answer));
            }
        });
    }

    private Reply refusal(RoutingContext ctx, Faults faults, long number, long arrivedNanos, boolean bearer) {
        if (faults.blockedStatus() == 403) {
            return new Reply(403, "text/html; charset=utf-8",
                    "<html><body><h1>Доступ запрещён</h1><p>Ваш IP заблокирован.</p></body></html>"
                            .getBytes(StandardCharsets.UTF_8),
                    Map.of());
        }
        if (faults.blockedStatus() == 402) {
            return Reply.problem(402, "Payment Required", "Account is not paid");
        }
        if (bearer && !authorized(ctx)) {
            return Reply.problem(401, "Unauthorized", "Access token is missing, expired or revoked");
        }
        if (faults.forbids(ctx.request().path())) {
            return Reply.problem(403, "Forbidden", "Access denied");
        }
        Faults.Throttle throttle = faults.throttle(arrivedNanos);
        if (throttle != null) {
            int seconds = faults.retryAfterSeconds();
            return switch (throttle) {
                case HTML -> new Reply(429, "text/html; charset=utf-8",
                        "<html><body><h1>429 Too Many Requests</h1></body></html>".getBytes(StandardCharsets.UTF_8),
                        Map.of());
                case RETRY_AFTER_HEADER -> new Reply(429, PROBLEM,
                        LeadJson.problem(429, "Too Many Requests", "Rate limit exceeded", null),
                        Map.of("Retry-After", Integer.toString(seconds)));
                case RETRY_AFTER_JSON -> new Reply(429, PROBLEM,
                        LeadJson.problem(429, "Too Many Requests", "Rate limit exceeded", seconds), Map.of());
            };
        }
        if (bearer && faults.failsRequest(number, ctx.request().path())) {
            int status = faults.failStatus();
            return Reply.problem(status, status >= 500 ? "Service Unavailable" : "Bad Request", "trace_id: sim-" + number);
        }
        return null;
    }

    private boolean authorized(RoutingContext ctx) {
        if (alsoAuthenticated.stream().anyMatch(accepts -> accepts.test(ctx))) {
            return true;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ") || header.length() <= 7) {
            return false;
        }
        String expected = acceptedToken;
        return expected == null || expected.equals(header.substring(7));
    }

    /** The list parameters every entity list takes: paging, {@code filter[updated_at]}, {@code filter[id][]}, order. */
    private static ListQuery listQuery(RoutingContext ctx) {
        String orderField = ctx.queryParam("order[updated_at]").isEmpty()
                ? (ctx.queryParam("order[id]").isEmpty() ? null : "id")
                : "updated_at";
        String direction = orderField == null ? "asc" : first(ctx, "order[" + orderField + "]");
        List<Long> ids = ctx.queryParam("filter[id][]").stream().map(Long::valueOf).toList();
        return new ListQuery(number(ctx, "filter[updated_at][from]"), number(ctx, "filter[updated_at][to]"),
                ids.isEmpty() ? null : ids, orderField, "desc".equalsIgnoreCase(direction), intOr(ctx, "page", 1),
                intOr(ctx, "limit", 50));
    }

    private static Set<String> with(RoutingContext ctx) {
        return Arrays.stream(String.valueOf(first(ctx, "with")).split(",")).map(String::strip)
                .collect(Collectors.toSet());
    }

    private Reply leads(RoutingContext ctx) {
        ListQuery query = listQuery(ctx);
        Set<String> with = with(ctx);
        LeadsRequest request = new LeadsRequest(query.updatedFrom(), query.updatedTo(), query.ids(),
                query.orderField(), query.descending(), query.page(), query.limit(), with.contains("contacts"),
                with.contains("only_deleted"),
                Optional.ofNullable(number(ctx, "filter[pipeline_id]"))
                        .orElse(number(ctx, "filter[statuses][0][pipeline_id]")),
                number(ctx, "filter[statuses][0][status_id]"));
        SimulatedAccount current = account;
        current.beforeLeadsRequest(request);
        LeadsAnswer answer = current.leads(request);
        return answer.leads().isEmpty() ? Reply.noContent()
                : Reply.json(LeadJson.leadsPage(answer, url().toString(), ctx.request().query(), current::verbatim));
    }

    private Reply lead(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            return Reply.problem(400, "Bad Request", "lead id must be a number");
        }
        SimulatedAccount current = account;
        LeadsAnswer answer = current.leads(new LeadsRequest(null, null, List.of(id), null, false, 1, 1, true, false));
        if (answer.leads().isEmpty()) {
            return Reply.problem(404, "Not Found", "lead " + id + " not found");
        }
        byte[] page = LeadJson.leadsPage(answer, url().toString(), "", current::verbatim);
        return Reply.json(LeadJson.firstLead(page));
    }

    /** A catalog page; a limit above the API's maximum is replaced by the default 50, as amoCRM does. */
    private static Reply catalogPage(RoutingContext ctx, int maxLimit,
            java.util.function.BiFunction<Integer, Integer, byte[]> render) {
        int limit = intOr(ctx, "limit", 50);
        byte[] page = render.apply(intOr(ctx, "page", 1), limit < 1 || limit > maxLimit ? 50 : limit);
        return page == null ? Reply.noContent() : Reply.json(page);
    }

    /** A list's answer as the pipeline sends it. */
    private static Reply reply(SimAnswer answer) {
        return switch (answer.status()) {
            case 200 -> Reply.json(answer.body());
            case 204 -> Reply.noContent();
            default -> new Reply(answer.status(), PROBLEM, answer.body(), Map.of());
        };
    }

    private void send(RoutingContext ctx, Reply reply) {
        Faults faults = account.faults();
        HttpServerResponse response = ctx.response().setStatusCode(reply.status());
        response.putHeader("Date", account.httpDate());
        reply.headers().forEach(response::putHeader);
        if (reply.contentType() != null) {
            response.putHeader("Content-Type", reply.contentType());
        }
        byte[] body = reply.body();
        // body faults hit pages of lists (leads, events), which is what the tests of them aim at
        boolean page = reply.status() == 200 && ctx.request().path().startsWith("/api/v4/")
                && !ctx.request().path().equals("/api/v4/account");
        if (body == null) {
            response.end();
        } else if (page && faults.takeTruncate()) {
            response.end(Buffer.buffer(Arrays.copyOf(body, body.length / 2)));
        } else if (page && faults.takeGarbage()) {
            response.putHeader("Content-Type", "text/html").end("<html><body>Технические работы</body></html>");
        } else if (page && faults.takeDrop()) {
            response.putHeader("Content-Length", Integer.toString(body.length));
            response.write(Buffer.buffer(Arrays.copyOf(body, body.length / 2)));
            ctx.request().connection().close();
        } else {
            response.end(Buffer.buffer(body));
        }
    }

    private static String first(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static Long number(RoutingContext ctx, String name) {
        String value = first(ctx, name);
        return value == null || value.isBlank() ? null : Long.valueOf(value.strip());
    }

    private static int intOr(RoutingContext ctx, String name, int fallback) {
        Long value = number(ctx, name);
        return value == null ? fallback : value.intValue();
    }

    private static String decoded(String query) {
        return query == null ? null : java.net.URLDecoder.decode(query, StandardCharsets.UTF_8);
    }
}
