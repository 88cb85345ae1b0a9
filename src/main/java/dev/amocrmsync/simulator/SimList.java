package dev.amocrmsync.simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One list of API v4 as a registration: its path, its {@code _embedded} key, the records it pages over, how a record
 * renders, which filters and orders it honours. Every list then answers alike, as amoCRM's lists do: HAL pages with
 * {@code _links.next} on every full page, 204 when nothing matches or the page is past the end, a limit above the
 * maximum silently replaced by 50, an order the list does not honour silently replaced by its default one, records
 * sharing the sort key's value in a new random order on every request, a value that is not a number answered 400.
 * A new list is one registration in {@link SimLists}.
 */
final class SimList<T extends SimRecord> {

    /** Reads one filter's parameters: the records that pass, or null when the filter was not sent (or is ignored). */
    interface Filter<T> {
        Predicate<T> read(SimQuery query);
    }

    /** Writes one record; made per page under the account's lock, run after it. */
    interface ItemWriter<T> {
        void write(JsonGenerator json, T item, String baseUrl) throws IOException;
    }

    /** Makes the page's item writer under the account's lock, where what the records link to can be looked up. */
    interface Renderer<T> {
        ItemWriter<T> prepare(SimulatedAccount account, List<T> page, SimQuery query);
    }

    /** Which forms of {@code filter[updated_at]} the list reads. */
    enum UpdatedAt {
        /** None: the list has no update time (tags). */
        NONE,
        /** {@code [from]} and {@code [to]}, both inclusive: leads, contacts, companies. */
        RANGE,
        /**
         * Also one timestamp, meaning changed after it: tasks and notes. The docs do not say whether "after" takes
         * in the second itself; here it does not, the stricter reading: a client that counts on it re-reads a second
         * it has not finished, and misses what amoCRM stamps in it later.
         */
        SCALAR_OR_RANGE
    }

    private final String path;
    private final String key;
    private final Function<SimulatedAccount, ListSource<T>> source;
    private final Renderer<T> renderer;
    private String single;
    private String scoped;
    private Function<Long, Predicate<T>> scope;
    private UpdatedAt updatedAt = UpdatedAt.NONE;
    private Set<String> orders = Set.of();
    private String defaultOrder = "id";
    private boolean defaultDescending;
    private int maxLimit = 250;
    private final List<Filter<T>> filters = new ArrayList<>();
    private BiConsumer<SimulatedAccount, SimQuery> before = (account, query) -> {
    };
    private Predicate<SimulatedAccount> available = account -> true;

    private SimList(String path, String key, Function<SimulatedAccount, ListSource<T>> source, Renderer<T> renderer) {
        this.path = path;
        this.key = key;
        this.source = source;
        this.renderer = renderer;
    }

    /** A list at {@code path} putting its records under {@code _embedded.<key>}. */
    static <T extends SimRecord> SimList<T> at(String path, String key, Function<SimulatedAccount, ListSource<T>> source,
            Renderer<T> renderer) {
        return new SimList<>(path, key, source, renderer);
    }

    /** A list whose item writer needs nothing from the account. */
    static <T extends SimRecord> SimList<T> at(String path, String key, Function<SimulatedAccount, ListSource<T>> source,
            ItemWriter<T> writer) {
        return new SimList<>(path, key, source, (account, page, query) -> writer);
    }

    /** One record is also served alone at this path ({@code :id} its id), 404 when there is none. */
    SimList<T> single(String singlePath) {
        this.single = singlePath;
        return this;
    }

    /** The records of one parent are also listed at this path ({@code :parent} its id), with the same filters. */
    SimList<T> scoped(String scopedPath, Function<Long, Predicate<T>> ofParent) {
        this.scoped = scopedPath;
        this.scope = ofParent;
        return this;
    }

    SimList<T> updatedAt(UpdatedAt forms) {
        this.updatedAt = forms;
        return this;
    }

    /** The {@code order[field]} fields honoured, and the order when none of them is sent. */
    SimList<T> orders(Set<String> honoured, String byDefault, boolean descendingByDefault) {
        this.orders = Set.copyOf(honoured);
        this.defaultOrder = byDefault;
        this.defaultDescending = descendingByDefault;
        return this;
    }

    SimList<T> filter(Filter<T> filter) {
        filters.add(filter);
        return this;
    }

    /** Runs before every request is answered, outside the account's lock: listeners that edit while a sync pages. */
    SimList<T> before(BiConsumer<SimulatedAccount, SimQuery> hook) {
        this.before = hook;
        return this;
    }

    /** Whether the account has this list at all; 404 when it has not (an older account without the endpoint). */
    SimList<T> availableWhen(Predicate<SimulatedAccount> test) {
        this.available = test;
        return this;
    }

    String path() {
        return path;
    }

    String key() {
        return key;
    }

    /** The paths this list answers: the list, one record, the records of one parent. */
    List<SimRoute> routes() {
        List<SimRoute> routes = new ArrayList<>();
        routes.add(new SimRoute(path, (account, query, base) -> page(account, query, base, false)));
        if (single != null) {
            routes.add(new SimRoute(single, this::one));
        }
        if (scoped != null) {
            routes.add(new SimRoute(scoped, (account, query, base) -> page(account, query, base, true)));
            if (single != null) {
                routes.add(new SimRoute(scoped + "/:id", this::one));
            }
        }
        return routes;
    }

    /** One page of the list, or of the records of the parent the path names ({@code :parent}) when {@code ofParent}. */
    SimAnswer page(SimulatedAccount account, SimQuery query, String baseUrl, boolean ofParent) {
        if (!available.test(account)) {
            return notFound();
        }
        try {
            Long parent = ofParent ? query.pathNumber("parent") : null;
            before.accept(account, query);
            Request<T> request = read(account, query, parent);
            Page<T> page = account.locked(() -> window(account, request, query));
            return page.items().isEmpty() ? SimAnswer.noContent()
                    : SimAnswer.json(render(page, request, query, baseUrl));
        } catch (SimQuery.BadRequest e) {
            return SimAnswer.problem(400, "Bad Request", e.getMessage());
        }
    }

    /** The record {@code :id} (of parent {@code :parent} when the path names one) as an object, 404 when none. */
    private SimAnswer one(SimulatedAccount account, SimQuery query, String baseUrl) {
        if (!available.test(account)) {
            return notFound();
        }
        try {
            long id = query.pathNumber("id");
            Predicate<T> ofParent = query.hasPath("parent") ? scope.apply(query.pathNumber("parent")) : r -> true;
            Page<T> page = account.locked(() -> {
                T record = source.apply(account).get(id);
                List<T> items = record == null || !ofParent.test(record) ? List.of() : List.of(record);
                return new Page<>(items, renderer.prepare(account, items, query));
            });
            if (page.items().isEmpty()) {
                return SimAnswer.problem(404, "Not Found", key + " " + id + " not found");
            }
            return SimAnswer.json(LeadJson.render(json -> page.writer().write(json, page.items().get(0), baseUrl)));
        } catch (SimQuery.BadRequest e) {
            return SimAnswer.problem(400, "Bad Request", e.getMessage());
        }
    }

    private SimAnswer notFound() {
        return SimAnswer.problem(404, "Not Found", "Not found");
    }

    private record Request<T>(List<Long> ids, Long from, Long to, Predicate<T> matches, SimQuery.Order order, int page,
            int limit) {
    }

    private record Page<T>(List<T> items, ItemWriter<T> writer) {
    }

    private Request<T> read(SimulatedAccount account, SimQuery query, Long parent) {
        List<Long> ids = query.numbers("filter[id]");
        Long from = null, to = null;
        if (updatedAt != UpdatedAt.NONE && !account.faults().ignoresUpdatedAtFilter()) {
            from = query.number("filter[updated_at][from]");
            to = query.number("filter[updated_at][to]");
            Long after = updatedAt == UpdatedAt.SCALAR_OR_RANGE && from == null && to == null
                    ? query.number("filter[updated_at]")
                    : null;
            if (after != null) {
                from = after + 1;
            }
        }
        Predicate<T> matches = parent == null ? record -> true : scope.apply(parent);
        for (Filter<T> filter : filters) {
            Predicate<T> one = filter.read(query);
            if (one != null) {
                matches = matches.and(one);
            }
        }
        SimQuery.Order order = query.order(orders);
        return new Request<>(ids, from, to, matches,
                order != null ? order : new SimQuery.Order(defaultOrder, defaultDescending), query.page(),
                query.limit(maxLimit));
    }

    private Page<T> window(SimulatedAccount account, Request<T> request, SimQuery query) {
        ListSource<T> records = source.apply(account);
        String field = request.order().field();
        boolean descending = request.order().descending();
        Stream<T> ordered;
        if (request.ids() != null) {
            Long from = request.from(), to = request.to();
            List<T> found = request.ids().stream().distinct().map(records::get).filter(Objects::nonNull)
                    .filter(r -> (from == null || r.updatedAt() >= from) && (to == null || r.updatedAt() <= to))
                    .toList();
            ordered = ListSource.sortedWithShuffledTies(found, records.key(field), descending, account.tieOrder())
                    .stream();
        } else {
            ordered = records.inOrder(field, descending, request.from(), request.to(), account.tieOrder());
        }
        List<T> items = ordered.filter(request.matches()).skip((long) (request.page() - 1) * request.limit())
                .limit(request.limit()).toList();
        return new Page<>(items, items.isEmpty() ? null : renderer.prepare(account, items, query));
    }

    private byte[] render(Page<T> page, Request<T> request, SimQuery query, String baseUrl) {
        String self = baseUrl + query.requestPath();
        return LeadJson.render(json -> {
            json.writeStartObject();
            json.writeNumberField("_page", request.page());
            json.writeObjectFieldStart("_links");
            LeadJson.link(json, "self", query.raw().isEmpty() ? self : self + "?" + query.raw());
            if (page.items().size() == request.limit()) {
                LeadJson.link(json, "next", self + "?" + query.withPage(request.page() + 1));
            }
            json.writeEndObject();
            json.writeObjectFieldStart("_embedded");
            json.writeArrayFieldStart(key);
            for (T item : page.items()) {
                page.writer().write(json, item, baseUrl);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
    }
}
