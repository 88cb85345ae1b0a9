package dev.amocrmsync.simulator;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of one request to a list, read the way amoCRM reads PHP-style query strings: {@code name=v},
 * {@code name[]=v} and {@code name[0]=v} all give values of {@code name}, but only when a filter takes several values;
 * a filter that takes one value reads {@code name=v} alone, as amoCRM ignores {@code filter[is_completed][]=0}. Path
 * parameters ({@code /api/v4/leads/{id}/notes}) come along.
 */
public final class SimQuery {

    /** A value the API refuses to read: answered 400, as amoCRM answers a validation error. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String detail) {
            super(detail, null, false, false);
        }
    }

    /** An {@code order[field]=asc|desc} the list honours. */
    record Order(String field, boolean descending) {
    }

    private static final Pattern INDEXED = Pattern.compile("\\[\\d*]");

    private final String requestPath;
    private final List<Map.Entry<String, String>> params;
    private final Map<String, String> path;
    private final String raw;

    SimQuery(String requestPath, List<Map.Entry<String, String>> params, Map<String, String> path, String raw) {
        this.requestPath = requestPath;
        this.params = List.copyOf(params);
        this.path = Map.copyOf(path);
        this.raw = raw == null ? "" : raw;
    }

    /** The request as the server received it. */
    static SimQuery of(io.vertx.ext.web.RoutingContext ctx) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        ctx.queryParams().forEach(param -> params.add(Map.entry(param.getKey(), param.getValue())));
        return new SimQuery(ctx.request().path(), params, ctx.pathParams(), ctx.request().query());
    }

    /**
     * A request to {@code requestPath} with this query string as a client sends it
     * ({@code filter%5Bid%5D%5B%5D=5&limit=10}, or unencoded) and these path parameters: how tests ask without HTTP.
     */
    public static SimQuery parse(String requestPath, String query, Map<String, String> pathValues) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                params.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8)));
            }
        }
        return new SimQuery(requestPath, params, pathValues, query);
    }

    String requestPath() {
        return requestPath;
    }

    /** The value of exactly {@code name} (the first one), or null: the scalar form. */
    String scalar(String name) {
        for (Map.Entry<String, String> param : params) {
            if (param.getKey().equals(name)) {
                return param.getValue();
            }
        }
        return null;
    }

    /** Every value of {@code name}, {@code name[]} and {@code name[n]}, in the order sent: the list forms. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> param : params) {
            String key = param.getKey();
            if (key.equals(name) || key.startsWith(name) && INDEXED.matcher(key.substring(name.length())).matches()) {
                values.add(param.getValue());
            }
        }
        return values;
    }

    /** {@link #values} as numbers; null when none was sent; a value that is not a number is a 400. */
    List<Long> numbers(String name) {
        List<String> values = values(name);
        if (values.isEmpty()) {
            return null;
        }
        List<Long> numbers = new ArrayList<>(values.size());
        values.forEach(value -> numbers.add(number(name, value)));
        return numbers;
    }

    /** The scalar {@code name} as a number, or null when not sent; a value that is not a number is a 400. */
    Long number(String name) {
        String value = scalar(name);
        return value == null ? null : number(name, value);
    }

    static long number(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a number, got \"" + value + "\"");
        }
    }

    /** A path parameter ({@code :id}) as a number; a value that is not a number is a 400. */
    long pathNumber(String name) {
        String value = path.get(name);
        if (value == null) {
            throw new IllegalStateException("no path parameter " + name);
        }
        return number(name, value);
    }

    boolean hasPath(String name) {
        return path.containsKey(name);
    }

    boolean has(String name) {
        return scalar(name) != null;
    }

    /** The page size amoCRM applies: at most {@code max}, anything else (missing, zero, larger, not a number) 50. */
    int limit(int max) {
        String value = scalar("limit");
        try {
            int limit = value == null ? 50 : Integer.parseInt(value.strip());
            return limit < 1 || limit > max ? 50 : limit;
        } catch (NumberFormatException e) {
            return 50;
        }
    }

    int page() {
        String value = scalar("page");
        try {
            return value == null ? 1 : Math.max(1, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * The first {@code order[field]} with a field among {@code honoured} and a direction of {@code asc} or
     * {@code desc}; null when there is none. Other fields are silently ignored, as amoCRM ignores them.
     */
    Order order(Set<String> honoured) {
        for (Map.Entry<String, String> param : params) {
            String key = param.getKey();
            if (key.startsWith("order[") && key.endsWith("]")) {
                String field = key.substring(6, key.length() - 1);
                String direction = param.getValue().strip().toLowerCase(java.util.Locale.ROOT);
                if (honoured.contains(field) && (direction.equals("asc") || direction.equals("desc"))) {
                    return new Order(field, direction.equals("desc"));
                }
            }
        }
        return null;
    }

    /** The request as the older listeners of contacts and companies take it. */
    ListQuery listQuery() {
        Order order = order(Set.of("updated_at", "id"));
        String limit = scalar("limit");
        int asked;
        try {
            asked = limit == null ? 0 : Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            asked = 0;
        }
        return new ListQuery(number("filter[updated_at][from]"), number("filter[updated_at][to]"),
                numbers("filter[id]"), order == null ? null : order.field(), order != null && order.descending(),
                page(), asked);
    }

    /** The query as sent, for {@code _links.self}. */
    String raw() {
        return raw;
    }

    /** The query with {@code page} set to {@code page}, for {@code _links.next}: amoCRM keeps the filters there. */
    String withPage(int page) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> param : params) {
            if (!param.getKey().equals("page")) {
                query.append(encode(param.getKey())).append('=').append(encode(param.getValue())).append('&');
            }
        }
        return query.append("page=").append(page).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
