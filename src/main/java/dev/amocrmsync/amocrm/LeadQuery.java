package dev.amocrmsync.amocrm;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One request for {@code GET /api/v4/leads}. Bounds are unix seconds and treated as inclusive (undocumented), so
 * callers de-duplicate at the edges.
 */
public record LeadQuery(Long updatedFrom, Long updatedTo, List<Long> ids, Order order, int page, int limit,
        boolean onlyDeleted) {

    /** The one order key the API accepts per request; ties inside a key come back in no defined order. */
    public enum Order {
        UPDATED_AT_ASC("updated_at", "asc"),
        UPDATED_AT_DESC("updated_at", "desc"),
        ID_ASC("id", "asc");

        final String field;
        final String direction;

        Order(String field, String direction) {
            this.field = field;
            this.direction = direction;
        }
    }

    public static LeadQuery updatedBetween(long from, long to, Order order, int page, int limit) {
        return new LeadQuery(from, to, null, order, page, limit, false);
    }

    public static LeadQuery byIds(List<Long> ids) {
        return new LeadQuery(null, null, List.copyOf(ids), Order.ID_ASC, 1, Math.max(ids.size(), 1), false);
    }

    public static LeadQuery deleted(int page, int limit) {
        return new LeadQuery(null, null, null, Order.ID_ASC, page, limit, true);
    }

    /** The field ordered by ({@code updated_at} or {@code id}), null for the API's default order. */
    public String orderField() {
        return order == null ? null : order.field;
    }

    public boolean descending() {
        return order != null && order.direction.equals("desc");
    }

    String with() {
        return onlyDeleted ? "only_deleted" : "contacts";
    }

    String orderBy(String field) {
        return order != null && order.field.equals(field) ? order.direction : null;
    }

    /** The request as an operator would type it, for error messages and logs. */
    public String describe() {
        StringBuilder url = new StringBuilder("GET /api/v4/leads?with=").append(with());
        if (updatedFrom != null) {
            url.append("&filter[updated_at][from]=").append(updatedFrom);
        }
        if (updatedTo != null) {
            url.append("&filter[updated_at][to]=").append(updatedTo);
        }
        if (ids != null) {
            url.append(ids.stream().map(id -> "&filter[id][]=" + id).limit(5).collect(Collectors.joining()));
            if (ids.size() > 5) {
                url.append("…(").append(ids.size()).append(" ids)");
            }
        }
        if (order != null) {
            url.append("&order[").append(order.field).append("]=").append(order.direction);
        }
        return url.append("&page=").append(page).append("&limit=").append(limit).toString();
    }
}
