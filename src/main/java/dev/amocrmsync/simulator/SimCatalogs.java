package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The account's users, custom fields, pipelines with their stages, loss reasons and tags, as
 * {@code /api/v4/users}, {@code /api/v4/{leads|contacts|companies}/custom_fields}, {@code /api/v4/leads/pipelines},
 * {@code /api/v4/leads/loss_reasons} and {@code /api/v4/{leads|contacts|companies}/tags} list them, consistent with what
 * {@link LeadGenerator} and {@link PartyGenerator} write into the records. Mutable, so tests can rename a field or a
 * stage, add or remove a loss reason or a tag, or change a user between runs; the records already generated keep their
 * values (a removed tag no longer shows on them, as in amoCRM).
 */
public final class SimCatalogs {

    public record User(long id, String name, String email, String lang, boolean active, boolean admin) {
    }

    public record Enum(long id, String value, int sort) {
    }

    public record Field(long id, String name, String type, String code, int sort, boolean apiOnly, List<Enum> enums) {

        public Field {
            enums = enums == null ? null : List.copyOf(enums);
        }

        public Field named(String newName) {
            return new Field(id, newName, type, code, sort, apiOnly, enums);
        }
    }

    /** A reason a lead was lost, as {@code GET /api/v4/leads/loss_reasons} lists it. */
    public record LossReason(long id, String name, int sort, long createdAt, long updatedAt) implements SimRecord {
    }

    /** The loss reasons the generated lost leads carry. */
    static final long FIRST_LOSS_REASON = 9_100;
    private static final long CATALOGS_CREATED = 1_690_000_000L;

    private final LongSupplier now;
    private final List<User> users = new ArrayList<>();
    private final List<Field> leadFields = new ArrayList<>();
    private final List<Field> contactFields = new ArrayList<>();
    private final List<Field> companyFields = new ArrayList<>();
    private final List<Catalog.Pipeline> pipelines = new ArrayList<>(Catalog.PIPELINES);
    private final List<LossReason> lossReasons = new ArrayList<>();
    private long nextLossReasonId = FIRST_LOSS_REASON + 4;
    private volatile boolean lossReasonsApi = true;
    private final Map<String, List<Catalog.Tag>> tags = new LinkedHashMap<>();
    private final Map<String, Long> nextTagIds = new LinkedHashMap<>();

    /** {@code now}: the account's clock, which stamps the loss reasons added or renamed. */
    SimCatalogs(LongSupplier now) {
        this.now = now;
        String[] reasons = { "Дорого", "Нет машин на даты", "Выбрал конкурента", "Не выходит на связь" };
        for (int i = 0; i < reasons.length; i++) {
            lossReasons.add(new LossReason(FIRST_LOSS_REASON + i, reasons[i], 10 * (i + 1), CATALOGS_CREATED + i,
                    CATALOGS_CREATED + i));
        }
        for (String entity : List.of("leads", "contacts", "companies")) {
            // every entity type has its own tags; their ids repeat across the types
            tags.put(entity, new ArrayList<>(Catalog.TAGS));
            nextTagIds.put(entity, 601L);
        }
        String[] names = { "Анна Руководитель", "Игорь Менеджер", "Светлана Продажи", "Робот API" };
        for (int i = 0; i < Catalog.USERS.size(); i++) {
            users.add(new User(Catalog.USERS.get(i), names[i], "user" + (i + 1) + "@rent.example", "ru", true, i == 0));
        }
        leadFields.addAll(LeadGenerator.leadFields());
        contactFields.addAll(PartyGenerator.contactCatalog());
        companyFields.addAll(PartyGenerator.companyCatalog());
    }

    /** The custom-field catalog of {@code leads}, {@code contacts} or {@code companies}, as the API path names them. */
    public synchronized List<Field> fields(String entity) {
        return List.copyOf(catalog(entity));
    }

    public synchronized void renameField(String entity, long id, String name) {
        catalog(entity).replaceAll(f -> f.id() == id ? f.named(name) : f);
    }

    public synchronized void addField(String entity, Field field) {
        catalog(entity).add(field);
    }

    public synchronized void removeField(String entity, long id) {
        catalog(entity).removeIf(f -> f.id() == id);
    }

    private List<Field> catalog(String entity) {
        return switch (entity) {
            case "leads" -> leadFields;
            case "contacts" -> contactFields;
            case "companies" -> companyFields;
            default -> throw new IllegalArgumentException("no custom fields for " + entity);
        };
    }

    public synchronized List<User> users() {
        return List.copyOf(users);
    }

    public synchronized List<Field> leadFields() {
        return List.copyOf(leadFields);
    }

    public synchronized Field leadField(long id) {
        return leadFields.stream().filter(f -> f.id() == id).findFirst().orElseThrow();
    }

    public synchronized void renameLeadField(long id, String name) {
        leadFields.replaceAll(f -> f.id() == id ? f.named(name) : f);
    }

    public synchronized void addLeadField(Field field) {
        leadFields.add(field);
    }

    public synchronized void removeLeadField(long id) {
        leadFields.removeIf(f -> f.id() == id);
    }

    /** Replaces the user with this id (a renamed, deactivated or re-mailed user), or adds it. */
    public synchronized void putUser(User user) {
        users.removeIf(u -> u.id() == user.id());
        users.add(user);
    }

    public synchronized void removeUser(long id) {
        users.removeIf(u -> u.id() == id);
    }

    // ---- pipelines and their stages

    /** The pipelines with their stages, as {@code GET /api/v4/leads/pipelines} lists them now. */
    public synchronized List<Catalog.Pipeline> pipelines() {
        return List.copyOf(pipelines);
    }

    public synchronized Catalog.Pipeline pipeline(long id) {
        return pipelines.stream().filter(p -> p.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pipeline " + id));
    }

    /** The stage's name now (stage ids 142 and 143 repeat in every pipeline), or null when there is no such stage. */
    public synchronized String statusName(long pipelineId, long statusId) {
        return pipelines.stream().filter(p -> p.id() == pipelineId).flatMap(p -> p.statuses().stream())
                .filter(s -> s.id() == statusId).map(Catalog.Status::name).findFirst().orElse(null);
    }

    public synchronized boolean hasStatus(long pipelineId, long statusId) {
        return statusName(pipelineId, statusId) != null;
    }

    public synchronized void renamePipeline(long pipelineId, String name) {
        Catalog.Pipeline old = pipeline(pipelineId);
        replace(old, new Catalog.Pipeline(old.id(), name, old.main(), old.statuses()));
    }

    public synchronized void renameStatus(long pipelineId, long statusId, String name) {
        Catalog.Pipeline old = pipeline(pipelineId);
        if (!hasStatus(pipelineId, statusId)) {
            throw new IllegalArgumentException("no status " + statusId + " in pipeline " + pipelineId);
        }
        replace(old, new Catalog.Pipeline(old.id(), old.name(), old.main(), old.statuses().stream()
                .map(s -> s.id() == statusId ? new Catalog.Status(s.id(), name, s.sort(), s.type(), s.color()) : s)
                .toList()));
    }

    /** Adds a stage to the pipeline, placed by its {@code sort}. */
    public synchronized void addStatus(long pipelineId, Catalog.Status status) {
        Catalog.Pipeline old = pipeline(pipelineId);
        List<Catalog.Status> statuses = new ArrayList<>(old.statuses());
        statuses.add(status);
        statuses.sort(Comparator.comparingInt(Catalog.Status::sort));
        replace(old, new Catalog.Pipeline(old.id(), old.name(), old.main(), statuses));
    }

    /** Removes a stage (never 142 or 143, which every pipeline keeps). */
    public synchronized void removeStatus(long pipelineId, long statusId) {
        if (statusId == Catalog.WON || statusId == Catalog.LOST) {
            throw new IllegalArgumentException("every pipeline keeps stages 142 and 143");
        }
        Catalog.Pipeline old = pipeline(pipelineId);
        replace(old, new Catalog.Pipeline(old.id(), old.name(), old.main(),
                old.statuses().stream().filter(s -> s.id() != statusId).toList()));
    }

    private void replace(Catalog.Pipeline old, Catalog.Pipeline next) {
        pipelines.set(pipelines.indexOf(old), next);
    }

    // ---- loss reasons

    public synchronized List<LossReason> lossReasons() {
        return List.copyOf(lossReasons);
    }

    /** Adds a loss reason now, with the next id. */
    public synchronized LossReason addLossReason(String name) {
        long at = now.getAsLong();
        LossReason reason = new LossReason(nextLossReasonId++, name,
                lossReasons.stream().mapToInt(LossReason::sort).max().orElse(0) + 10, at, at);
        lossReasons.add(reason);
        return reason;
    }

    /** Renames a loss reason now ({@code updated_at} moves). */
    public synchronized void renameLossReason(long id, String name) {
        long at = now.getAsLong();
        lossReasons.replaceAll(r -> r.id() == id ? new LossReason(id, name, r.sort(), r.createdAt(), at) : r);
    }

    /** Removes a loss reason; leads lost for it keep its id, as nothing says amoCRM clears it. */
    public synchronized void removeLossReason(long id) {
        lossReasons.removeIf(r -> r.id() == id);
    }

    /** False: {@code /api/v4/leads/loss_reasons} answers 404, as on accounts older than the endpoint. */
    public void lossReasonsApi(boolean available) {
        this.lossReasonsApi = available;
    }

    public boolean hasLossReasonsApi() {
        return lossReasonsApi;
    }

    // ---- tags

    /** The tags of {@code leads}, {@code contacts} or {@code companies}, by id. */
    public synchronized List<Catalog.Tag> tags(String entity) {
        List<Catalog.Tag> copy = new ArrayList<>(tagList(entity));
        copy.sort(Comparator.comparingLong(Catalog.Tag::id));
        return copy;
    }

    /** Adds a tag to the entity type's catalog, with its next id (ids repeat across the entity types). */
    public synchronized Catalog.Tag addTag(String entity, String name, String color) {
        long id = nextTagIds.get(entity);
        nextTagIds.put(entity, id + 1);
        Catalog.Tag tag = new Catalog.Tag(id, name, color);
        tagList(entity).add(tag);
        return tag;
    }

    public synchronized void renameTag(String entity, long id, String name) {
        tagList(entity).replaceAll(t -> t.id() == id ? new Catalog.Tag(id, name, t.color()) : t);
    }

    /** Removes the tag from the catalog and so from every record that carried it. */
    public synchronized void removeTag(String entity, long id) {
        tagList(entity).removeIf(t -> t.id() == id);
    }

    /** The entity type's tags by id, for rendering records' {@code _embedded.tags}. */
    synchronized Map<Long, Catalog.Tag> tagsById(String entity) {
        Map<Long, Catalog.Tag> byId = new java.util.HashMap<>();
        tagList(entity).forEach(tag -> byId.put(tag.id(), tag));
        return byId;
    }

    private List<Catalog.Tag> tagList(String entity) {
        List<Catalog.Tag> list = tags.get(entity);
        if (list == null) {
            throw new IllegalArgumentException("no tags of " + entity);
        }
        return list;
    }
}
