package dev.amocrmsync.amocrm;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One request for an entity list ({@code GET /api/v4/leads}, {@code /contacts}, {@code /companies}): they page,
 * filter and order alike. Bounds are unix seconds and treated as inclusive (undocumented), so callers de-duplicate at
 * the edges.
 *
 * @param entity the list's path segment and {@code _embedded} key
 * @param with the {@code with} parameter (the links the mirror keeps), null for none
 */
public record EntityQuery(String entity, String with, Long updatedFrom, Long updatedTo, List<Long> ids, Order order,
        int page, int limit) {

    /** The one order key the API accepts per request; ties inside a key come back in no defined order. */
    public enum Order {
        UPDATED_AT_ASC("updated_at", "asc"),
        UPDATED_AT_DESC("updated_at", "desc"),
        ID_ASC("id", "asc"),
        ID_DESC("id", "desc");

        final String field;
        final String direction;

        Order(String field, String direction) {
            this.field = field;
            this.direction = direction;
        }
    }

    public static EntityQuery updatedBetween(String entity, String with, long from, long to, Order order, int page,
            int limit) {
        return new EntityQuery(entity, with, from, to, null, order, page, limit);
    }

    public static EntityQuery byIds(String entity, String with, List<Long> ids) {
        return new EntityQuery(entity, with, null, null, List.copyOf(ids), Order.ID_ASC, 1, Math.max(ids.size(), 1));
    }

    /** amoCRM's bin of a list that has one ({@code with=only_deleted}: leads): the deleted items still restorable. */
    public static EntityQuery deleted(String list, int page, int limit) {
        return new EntityQuery(list, "only_deleted", null, null, null, Order.ID_ASC, page, limit);
    }

    /** The field ordered by ({@code updated_at} or {@code id}), null for the API's default order. */
    public String orderField() {
        return order == null ? null : order.field;
    }

    public boolean descending() {
        return order != null && order.direction.equals("desc");
    }

    String orderBy(String field) {
        return order != null && order.field.equals(field) ? order.direction : null;
    }

    /** The request as an operator would type it, for error messages and logs. */
    public String describe() {
        StringBuilder url = new StringBuilder("GET /api/v4/").append(entity).append('?');
        if (with != null) {
            url.append("with=").append(with).append('&');
        }
        if (updatedFrom != null) {
            url.append("filter[updated_at][from]=").append(updatedFrom).append('&');
        }
        if (updatedTo != null) {
            url.append("filter[updated_at][to]=").append(updatedTo).append('&');
        }
        if (ids != null) {
            url.append(ids.stream().map(id -> "filter[id][]=" + id + "&").limit(5).collect(Collectors.joining()));
            if (ids.size() > 5) {
                url.append("…(").append(ids.size()).append(" ids)&");
            }
        }
        if (order != null) {
            url.append("order[").append(order.field).append("]=").append(order.direction).append('&');
        }
        return url.append("page=").append(page).append("&limit=").append(limit).toString();
    }
}
