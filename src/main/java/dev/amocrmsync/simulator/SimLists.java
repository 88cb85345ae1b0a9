package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every list the simulated account serves through {@link SimList}, one registration each, with what each honours as
 * amoCRM API v4 documents it (see the docs' "amocrm-api-v4-more"); where the API leaves room, the stricter reading.
 */
final class SimLists {

    private SimLists() {
    }

    /**
     * {@code GET /api/v4/tasks}: {@code order[created_at|complete_till|id]} honoured, {@code order[updated_at]} not (the
     * default order, {@code created_at} ascending, comes back instead); {@code filter[updated_at]} one timestamp (after
     * it, that second excluded) or {@code [from]}/{@code [to]} (inclusive); {@code filter[is_completed]} only as a scalar 1 or
     * 0;
     * {@code filter[entity_id]} only together with {@code filter[entity_type]}.
     */
    static final SimList<SimTask> TASKS = SimList
            .<SimTask> at("/api/v4/tasks", "tasks", account -> account.tasks().table(),
                    (account, page, query) -> (json, task, base) -> WorkJson.task(json, task, account.accountId(), base))
            .single("/api/v4/tasks/:id").updatedAt(SimList.UpdatedAt.SCALAR_OR_RANGE)
            .orders(Set.of("created_at", "complete_till", "id"), "created_at", false)
            .filter(ListFilters.anyOf("filter[responsible_user_id]", SimTask::responsibleUserId))
            .filter(ListFilters.anyOf("filter[created_by]", SimTask::createdBy))
            .filter(ListFilters.anyOf("filter[task_type]", SimTask::taskTypeId))
            .filter(ListFilters.anyOf("filter[task_type_id]", SimTask::taskTypeId))
            .filter(ListFilters.flag("filter[is_completed]", SimTask::isCompleted))
            .filter(SimLists::taskEntity)
            .before((account, query) -> account.tasks().beforeRequest(query));

    /** {@code filter[entity_type]} (plural, scalar) with, optionally, {@code filter[entity_id]} (one or many). */
    private static java.util.function.Predicate<SimTask> taskEntity(SimQuery query) {
        String type = query.scalar("filter[entity_type]");
        if (type == null) {
            return null;
        }
        List<Long> ids = query.numbers("filter[entity_id]");
        Set<Long> wanted = ids == null ? null : Set.copyOf(ids);
        return task -> type.equals(task.entityType()) && (wanted == null || wanted.contains(task.entityId()));
    }

    /**
     * {@code GET /api/v4/{entity}/notes}, {@code /api/v4/{entity}/{id}/notes} and one note at
     * {@code /api/v4/{entity}/notes/{id}} or {@code /api/v4/{entity}/{parent}/notes/{id}}: {@code order[updated_at|id]}
     * honoured (default {@code created_at} ascending); {@code filter[id]}, {@code filter[entity_id]},
     * {@code filter[note_type]} one or many, {@code filter[updated_at]} one timestamp or a range.
     */
    static SimList<SimNote> notes(String entity) {
        return SimList
                .<SimNote> at("/api/v4/" + entity + "/notes", "notes", account -> account.notes().table(entity),
                        (account, page, query) -> (json, note, base) -> WorkJson.note(json, note, account.accountId(),
                                base))
                .single("/api/v4/" + entity + "/notes/:id")
                .scoped("/api/v4/" + entity + "/:parent/notes", parent -> note -> note.entityId() == parent)
                .updatedAt(SimList.UpdatedAt.SCALAR_OR_RANGE).orders(Set.of("updated_at", "id"), "created_at", false)
                .filter(ListFilters.anyOf("filter[entity_id]", SimNote::entityId))
                .filter(ListFilters.anyText("filter[note_type]", SimNote::noteType))
                .before((account, query) -> account.notes().beforeRequest(query));
    }

    /**
     * {@code GET /api/v4/contacts} and one contact: paged as the leads, {@code order[updated_at|id]} (default
     * {@code updated_at} ascending), {@code filter[updated_at][from|to]}, {@code filter[id]}, {@code with=leads}.
     */
    static final SimList<SimContact> CONTACTS = SimList
            .<SimContact> at("/api/v4/contacts", "contacts", SimulatedAccount::contactTable, (account, page, query) -> {
                EntitiesAnswer<SimContact> links = account.contactLinks(page, with(query));
                return (json, contact, base) -> PartyJson.contact(json, contact, links, base);
            }).single("/api/v4/contacts/:id").updatedAt(SimList.UpdatedAt.RANGE)
            .orders(Set.of("updated_at", "id"), "updated_at", false)
            .before((account, query) -> account.beforeContactsRequest(query.listQuery()));

    /** {@code GET /api/v4/companies} and one company, as the contacts; {@code with=leads,contacts}. */
    static final SimList<SimCompany> COMPANIES = SimList
            .<SimCompany> at("/api/v4/companies", "companies", SimulatedAccount::companyTable, (account, page, query) -> {
                EntitiesAnswer<SimCompany> links = account.companyLinks(page, with(query));
                return (json, company, base) -> PartyJson.company(json, company, links, base);
            }).single("/api/v4/companies/:id").updatedAt(SimList.UpdatedAt.RANGE)
            .orders(Set.of("updated_at", "id"), "updated_at", false)
            .before((account, query) -> account.beforeCompaniesRequest(query.listQuery()));

    /** {@code with}: a comma list. */
    private static Set<String> with(SimQuery query) {
        String with = query.scalar("with");
        return with == null ? Set.of() : new java.util.HashSet<>(List.of(with.strip().split("\\s*,\\s*")));
    }

    /** {@code GET /api/v4/{entity}/tags}: by id; {@code filter[id]} many, {@code filter[name]} exact, {@code query}. */
    static SimList<Catalog.Tag> tags(String entity) {
        return SimList.<Catalog.Tag> at("/api/v4/" + entity + "/tags", "tags",
                account -> ListSource.of(account.catalogs().tags(entity), Map.of()), (json, tag, base) -> {
                    json.writeStartObject();
                    json.writeNumberField("id", tag.id());
                    json.writeStringField("name", tag.name());
                    json.writeStringField("color", tag.color());
                    json.writeEndObject();
                }).orders(Set.of(), "id", false).filter(query -> {
                    String name = query.scalar("filter[name]");
                    return name == null ? null : tag -> tag.name().equals(name);
                }).filter(query -> {
                    String search = query.scalar("query");
                    if (search == null || search.isBlank()) {
                        return null;
                    }
                    String needle = search.strip().toLowerCase(Locale.ROOT);
                    return tag -> tag.name().toLowerCase(Locale.ROOT).contains(needle);
                });
    }

    /** {@code GET /api/v4/leads/loss_reasons} (and one by id); 404 on an account without the endpoint. */
    static final SimList<SimCatalogs.LossReason> LOSS_REASONS = SimList.<SimCatalogs.LossReason> at(
            "/api/v4/leads/loss_reasons", "loss_reasons",
            account -> ListSource.of(account.catalogs().lossReasons(),
                    Map.of("sort", reason -> reason.sort())),
            (json, reason, base) -> {
                json.writeStartObject();
                json.writeNumberField("id", reason.id());
                json.writeStringField("name", reason.name());
                json.writeNumberField("sort", reason.sort());
                json.writeNumberField("created_at", reason.createdAt());
                json.writeNumberField("updated_at", reason.updatedAt());
                json.writeObjectFieldStart("_links");
                LeadJson.link(json, "self", base + "/api/v4/leads/loss_reasons/" + reason.id());
                json.writeEndObject();
                json.writeEndObject();
            })
            .single("/api/v4/leads/loss_reasons/:id").orders(Set.of(), "sort", false)
            .availableWhen(account -> account.catalogs().hasLossReasonsApi());

    /**
     * Every route of the lists above, the event log and the pipelines, in the order a router must try them: before
     * {@code /api/v4/leads/:id}, which would take {@code /api/v4/leads/notes} for a lead called "notes".
     */
    static List<SimRoute> routes() {
        List<SimRoute> routes = new ArrayList<>();
        all().forEach(list -> routes.addAll(list.routes()));
        routes.addAll(PipelineList.ROUTES);
        routes.add(EventList.ROUTE);
        return routes;
    }

    /** The registered list at this path ({@code /api/v4/tasks}, {@code /api/v4/contacts/notes}...). */
    static SimList<?> at(String path) {
        return all().stream().filter(list -> list.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no list at " + path));
    }

    private static List<SimList<?>> all() {
        List<SimList<?>> all = new ArrayList<>(List.of(CONTACTS, COMPANIES, TASKS, LOSS_REASONS));
        for (String entity : SimNotes.ENTITIES) {
            all.add(notes(entity));
            all.add(tags(entity));
        }
        return all;
    }
}
