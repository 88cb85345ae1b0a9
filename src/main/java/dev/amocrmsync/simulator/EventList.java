package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v4/events} as amoCRM answers it: newest first only (an {@code order} is ignored), at most 100 a page,
 * 204 when nothing matches. Reads {@code filter[type]} and {@code filter[entity]} (comma lists or arrays),
 * {@code filter[entity_id]} (at most 10, with exactly one entity), {@code filter[id]}, {@code filter[created_by]},
 * {@code filter[created_at]} as {@code [from]}/{@code [to]} or {@code from,to} (inclusive), or one timestamp (after
 * it, not including it),
 * and the stage filters {@code filter[value_after|value_before][leads_statuses][n][pipeline_id|status_id]}.
 */
final class EventList {

    static final SimRoute ROUTE = new SimRoute("/api/v4/events", EventList::answer);

    private EventList() {
    }

    static SimAnswer answer(SimulatedAccount account, SimQuery query, String baseUrl) {
        try {
            account.beforeEventsRequest();
            EventLog.Query request = read(query);
            List<SimEvent> events = account.events(request);
            return events.isEmpty() ? SimAnswer.noContent()
                    : SimAnswer.json(LeadJson.events(events, request.page(), request.size(),
                            baseUrl + query.requestPath(), query, account.accountId()));
        } catch (SimQuery.BadRequest e) {
            return SimAnswer.problem(400, "Bad Request", e.getMessage());
        }
    }

    static EventLog.Query read(SimQuery query) {
        Set<String> entities = new HashSet<>();
        commaList(query, "filter[entity]").forEach(entity -> entities.add(singular(entity)));
        Set<Long> entityIds = new HashSet<>();
        commaList(query, "filter[entity_id]").forEach(id -> entityIds.add(SimQuery.number("filter[entity_id]", id)));
        if (!entityIds.isEmpty() && (entityIds.size() > 10 || entities.size() != 1)) {
            throw new SimQuery.BadRequest("filter[entity_id] takes at most 10 ids of exactly one filter[entity]");
        }
        Set<Long> createdBy = new HashSet<>();
        commaList(query, "filter[created_by]").forEach(id -> createdBy.add(SimQuery.number("filter[created_by]", id)));
        Long from = query.number("filter[created_at][from]");
        Long to = query.number("filter[created_at][to]");
        String created = query.scalar("filter[created_at]");
        if (from == null && to == null && created != null) {
            String[] bounds = created.split(",", -1);
            if (bounds.length == 1) {
                // one timestamp: after it, not including it (the stricter reading, as for tasks and notes)
                from = SimQuery.number("filter[created_at]", bounds[0]) + 1;
            } else {
                from = bounds[0].isBlank() ? null : SimQuery.number("filter[created_at]", bounds[0]);
                to = bounds[1].isBlank() ? null : SimQuery.number("filter[created_at]", bounds[1]);
            }
        }
        return new EventLog.Query(new HashSet<>(commaList(query, "filter[type]")), entities, entityIds,
                new HashSet<>(commaList(query, "filter[id]")), createdBy, from, to,
                stages(query, "filter[value_after][leads_statuses]"), stages(query, "filter[value_before][leads_statuses]"),
                false, query.page(), query.scalar("limit") == null ? 50 : query.limit(Integer.MAX_VALUE));
    }

    /** Values of {@code name} in any form amoCRM takes: {@code a,b}, {@code name[]=a&name[]=b} or {@code name[0]=a}. */
    private static List<String> commaList(SimQuery query, String name) {
        List<String> values = new ArrayList<>();
        query.values(name).forEach(value -> Arrays.stream(value.split(",")).map(String::strip)
                .filter(v -> !v.isEmpty()).forEach(values::add));
        return values;
    }

    private static List<EventLog.StageFilter> stages(SimQuery query, String prefix) {
        List<EventLog.StageFilter> stages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Long pipeline = query.number(prefix + "[" + i + "][pipeline_id]");
            Long status = query.number(prefix + "[" + i + "][status_id]");
            if (pipeline == null && status == null) {
                break;
            }
            stages.add(new EventLog.StageFilter(pipeline, status));
        }
        return stages;
    }

    /** {@code filter[entity]} names the entity as events do ({@code contact}); plural names are taken too. */
    private static String singular(String entity) {
        return switch (entity) {
            case "leads" -> "lead";
            case "contacts" -> "contact";
            case "companies" -> "company";
            case "tasks" -> "task";
            default -> entity;
        };
    }
}
