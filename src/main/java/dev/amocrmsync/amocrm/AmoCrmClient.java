package dev.amocrmsync.amocrm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;

/**
 * The only door to amoCRM. Every call waits for the shared {@link RequestBudget}, is retried by the {@link AmoCrmGuard}
 * policy when the failure is transient, and gets one second chance after a 401 when the access mode can renew its
 * credentials.
 */
@ApplicationScoped
public class AmoCrmClient {

    /** What a run's report calls the requests for the account's catalogs, and for its event log. */
    public static final String CATALOGS = "catalogs";
    public static final String EVENTS = "events";

    /** Largest page the events API serves. */
    public static final int EVENTS_PAGE_SIZE = 100;
    /** Largest page of users the API serves. */
    public static final int USERS_PAGE_SIZE = 250;
    /** Largest page of a custom-field catalog the API serves. */
    public static final int CUSTOM_FIELDS_PAGE_SIZE = 50;

    private final AccountAccess access;
    private final RequestBudget budget;
    private final AmoCrmConfig config;
    private final AmoCrmMetrics metrics;
    private final AmoCrmClock clock;
    private final AtomicLong requests = new AtomicLong();
    private final Set<ApiSpan> spans = ConcurrentHashMap.newKeySet();
    private volatile AmoCrmApi api;
    // the latest answer to account(): null until one came
    private volatile Account lastAccount;

    AmoCrmClient(AccountAccess access, RequestBudget budget, AmoCrmConfig config, AmoCrmMetrics metrics,
            AmoCrmClock clock) {
        this.access = access;
        this.clock = clock;
        this.budget = budget;
        this.config = config;
        this.metrics = metrics;
        metrics.pace(budget::requestsPerSecond);
        metrics.sharedBudget(budget);
    }

    /** A page of an entity list (leads, contacts, companies); an empty page for a 204. */
    @ApplyGuard(AmoCrmGuard.NAME)
    public Uni<EntityPage> list(EntityQuery query) {
        String[] path = query.entity().split("/");
        if (!query.entity().matches("[a-z_]+(/[a-z_]+)?")) {
            return Uni.createFrom().failure(new IllegalArgumentException("no entity list " + query.entity()));
        }
        return call(query.entity(), query.describe(), api -> path.length == 1
                ? api.list(path[0], query.updatedFrom(), query.updatedTo(), query.ids(), query.orderBy("updated_at"),
                        query.orderBy("id"), query.with(), query.page(), query.limit())
                : api.listOf(path[0], path[1], query.updatedFrom(), query.updatedTo(), query.ids(),
                        query.orderBy("updated_at"), query.orderBy("id"), query.with(), query.page(), query.limit()))
                .map(page -> page == null ? EntityPage.EMPTY : page);
    }

    /**
     * The account this access reaches. A run asks it first: the answer checks the credentials with one request, its
     * {@code Date} tells amoCRM's clock, which bounds what the run reads, and its time zone is kept for the catalogs.
     */
    @ApplyGuard(AmoCrmGuard.NAME)
    public Uni<Account> account() {
        return call("account", "GET /api/v4/account?with=datetime_settings", api -> api.account("datetime_settings"))
                .map(account -> account == null ? Account.UNKNOWN : account)
                .invoke(account -> lastAccount = account);
    }

    /** amoCRM's clock, as its answers told it. */
    public AmoCrmClock clock() {
        return clock;
    }

    @ApplyGuard(AmoCrmGuard.NAME)
    public Uni<Pipelines> pipelines() {
        return call(CATALOGS, "GET /api/v4/leads/pipelines", AmoCrmApi::pipelines)
                .map(pipelines -> pipelines == null ? Pipelines.NONE : pipelines);
    }

    /**
     * A page of a small catalog listed whole ({@code leads/loss_reasons}, {@code leads/tags}, ...), its items raw under
     * {@code _embedded}; an empty page for a 204.
     */
    @ApplyGuard(AmoCrmGuard.NAME)
    public Uni<EntityPage> catalog(String path, int page, int limit) {
        String[] parts = path.split("/");
        if (parts.length != 2 || !path.matches("[a-z_]+/[a-z_]+")) {
            return Uni.createFrom().failure(new IllegalArgumentException("no catalog " + path));
        }
        return call(CATALOGS, "GET /api/v4/" + path + "?page=" + page + "&limit=" + limit,
                api -> api.listOf(parts[0], parts[1], null, null, null, null, null, null, page, limit))
                .map(answer -> answer == null ? EntityPage.EMPTY : answer);
    }

    /**
     * The account's time zone name, in which amoCRM writes the values of date fields; null if it does not say. The
     * latest {@link #account()} answer tells it (every run asks that first), so a request is made only without one.
     */
    public Uni<String> accountTimeZone() {
        Account told = lastAccount;
        return told != null ? Uni.createFrom().item(told.zone()) : account().map(Account::zone);
    }

    /** A page of the account's users, {@link #USERS_PAGE_SIZE} at a time; an empty page for a 204. */
    @ApplyGuard(AmoCrmGuard.NAME)
    public Uni<UsersPage> users(int page) {
        return call(CATALOGS, "GET /api/v4/users?page=" + page + "&limit=" + USERS_PAGE_SIZE,
                api -> api.users(page, USERS_PAGE_SIZE))
                .map(users -> users == null ? UsersPage.EMPTY : users);
    }

    /**
     * A page of an entity's custom-field catalog ({@code leads}, {@code contacts}, {@code companies}),
     * {@link #CUSTOM_FIELDS_PAGE_SIZE} at a time; an empty page for a 204.
     */
    @ApplyGuard(AmoCrmGuard.NAME)
    public Uni<CustomFieldsPage> customFields(String entity, int page) {
        if (!entity.matches("leads|contacts|companies|customers")) {
            return Uni.createFrom().failure(new IllegalArgumentException("no custom-field catalog for entity " + entity));
        }
        return call(CATALOGS, "GET /api/v4/" + entity + "/custom_fields?page=" + page + "&limit=" + CUSTOM_FIELDS_PAGE_SIZE,
                api -> api.customFields(entity, page, CUSTOM_FIELDS_PAGE_SIZE))
                .map(fields -> fields == null ? CustomFieldsPage.EMPTY : fields);
    }

    /**
     * Events of these types ({@code lead_deleted,contact_restored,...}) created in [from, to], newest first; an empty
     * page for a 204.
     */
    @ApplyGuard(AmoCrmGuard.NAME)
    public Uni<EventsPage> events(String types, long from, long to, int page) {
        String request = "GET /api/v4/events?filter[type]=" + types + "&filter[created_at][from]=" + from
                + "&filter[created_at][to]=" + to + "&page=" + page + "&limit=" + EVENTS_PAGE_SIZE;
        return call(EVENTS, request, api -> api.events(types, from, to, page, EVENTS_PAGE_SIZE))
                .map(events -> events == null ? EventsPage.EMPTY : events);
    }

    public int pageSize() {
        return Math.min(250, Math.max(1, config.pageSize()));
    }

    /** HTTP requests sent to amoCRM by this process so far, retries included. */
    public long requestsMade() {
        return requests.get();
    }

    /** Counts every request from now until {@link #close(ApiSpan)}, for the effective rate of a run. */
    public ApiSpan openSpan() {
        ApiSpan span = new ApiSpan();
        spans.add(span);
        return span;
    }

    public void close(ApiSpan span) {
        spans.remove(span);
    }

    public String describeAccess() {
        return access.describe();
    }

    private <T> Uni<T> call(String list, String request, Function<AmoCrmApi, Uni<T>> call) {
        return attempt(list, request, call)
                .onFailure(Unauthorized.class).recoverWithUni(rejected -> access.renewAfterRejection()
                        .chain(renewed -> renewed ? attempt(list, request, call) : Uni.createFrom().failure(rejected)))
                .onFailure(Unauthorized.class)
                .transform(rejected -> new Unauthorized(rejected.getMessage() + ". " + access.rejectionAdvice()));
    }

    private <T> Uni<T> attempt(String list, String request, Function<AmoCrmApi, Uni<T>> call) {
        // the credentials first (an OAuth refresh is a request of its own): between the budget and the socket nothing
        // may wait on amoCRM, or the requests let go meanwhile would leave together once it answered
        return access.requestHeaders()
                .chain(ready -> budget.acquireUntilWritten())
                .invoke(() -> sent(list, request))
                .chain(() -> call.apply(api()))
                .invoke(metrics::answered)
                .invoke(budget::answered)
                .onFailure().transform(failure -> AmoCrmFailures.classify(failure, request))
                .onFailure().invoke(metrics::failed)
                .onFailure(RateLimited.class).call(limited -> budget.throttled(((RateLimited) limited).retryAfter()))
                .onTermination().invoke(this::ended);
    }

    private void sent(String list, String request) {
        // at DEBUG, when each request left the budget (its connection writes it a moment later): set against amoCRM's
        // 429s or a proxy's log, it tells whether requests were released too close or delayed on their way out
        Log.debugf("Request released: %s", request);
        requests.incrementAndGet();
        long now = System.nanoTime();
        spans.forEach(span -> span.sent(now, list));
    }

    private void ended() {
        long now = System.nanoTime();
        spans.forEach(span -> span.ended(now));
    }

    private AmoCrmApi api() {
        AmoCrmApi current = api;
        if (current == null) {
            synchronized (this) {
                current = api;
                if (current == null) {
                    current = QuarkusRestClientBuilder.newBuilder()
                            .baseUri(access.baseUri())
                            .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .clientHeadersFactory(new AccessHeaders(access))
                            .register(new ServerDate(clock))
                            .register(new JsonAnswersOnly())
                            .followRedirects(false)
                            .userAgent("amocrm-sync")
                            // each request tells the budget when its connection wrote it
                            .httpClientRequestCustomizer(budget.departures())
                            .build(AmoCrmApi.class);
                    api = current;
                }
            }
        }
        return current;
    }
}
