package dev.amocrmsync.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.Pipelines;
import dev.amocrmsync.amocrm.RequestRejected;
import dev.amocrmsync.mirror.Entity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The catalogs that name what deals go through: {@code amocrm_pipelines} and {@code amocrm_statuses} (with won and
 * lost), {@code amocrm_loss_reasons}, and {@code amocrm_tags} of every entity that carries tags. Read whole when due
 * (never stored, older than {@link CatalogConfig#maxAge()}, or a deal stands in a stage the table lacks), beside the
 * run's scans within the budget, and stored after the run's writes; a catalog whose content did not change writes
 * nothing. An account without loss reasons (an older one answers 404) has none; one whose user may not read a catalog
 * (403 with a JSON problem) keeps what it had, said once a run.
 */
@ApplicationScoped
public class FunnelCatalogs {

    static final String PIPELINES = "pipelines";
    static final String LOSS_REASONS = "loss_reasons";
    private static final int PAGE = 250;
    private static final int MAX_PAGES = 200;

    private static final CatalogTable PIPELINE_ROWS = new CatalogTable("amocrm_pipelines",
            List.of("pipeline_id bigint"), List.of("name text", "sort integer", "is_main boolean",
                    "is_unsorted_on boolean", "is_archive boolean"),
            null);
    private static final CatalogTable STATUS_ROWS = new CatalogTable("amocrm_statuses",
            List.of("pipeline_id bigint", "status_id bigint"), List.of("name text", "sort integer", "type integer",
                    "color text", "is_editable boolean", "is_won boolean", "is_lost boolean"),
            null);
    private static final CatalogTable LOSS_REASON_ROWS = new CatalogTable("amocrm_loss_reasons",
            List.of("loss_reason_id bigint"), List.of("name text", "sort integer", "created_at timestamptz",
                    "updated_at timestamptz"),
            null);
    private static final CatalogTable TAG_ROWS = new CatalogTable("amocrm_tags",
            List.of("entity_type text", "tag_id bigint"), List.of("name text", "color text"), "entity_type");

    // a deal stands in a stage the statuses table does not know (a stage added since the last reading)
    private static final String UNKNOWN_STAGE = """
            SELECT EXISTS (SELECT 1 FROM amocrm_deals d WHERE d.status_id IS NOT NULL AND d.pipeline_id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM amocrm_statuses s
                                WHERE s.pipeline_id = d.pipeline_id AND s.status_id = d.status_id))
            """;

    private final AmoCrmClient client;
    private final CatalogStateStore states;
    private final CatalogConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    FunnelCatalogs(AmoCrmClient client, CatalogStateStore states, CatalogConfig config, ObjectMapper json,
            Clock clock) {
        this.client = client;
        this.states = states;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** What one reading found: each catalog's rows, by its state name; a catalog not readable is absent. */
    private record Read(Map<String, List<Map<String, Object>>> rows) {
    }

    /** The lists whose tags are kept: the entities with custom fields (deals, contacts, companies) carry tags. */
    private static List<String> tagged(List<Entity<?>> entities) {
        return entities.stream().filter(entity -> entity.customFields().isPresent())
                .map(entity -> entity.list().orElseThrow().path()).toList();
    }

    /** Whether the catalogs are due, and if so their requests ready to leave at {@link Ahead#start()}. */
    public Uni<Ahead> ahead(List<Entity<?>> entities) {
        List<String> tagged = tagged(entities);
        return Panache.withSession(() -> states.load().chain(saved -> due(saved, tagged)))
                .map(due -> new Ahead(due ? read(tagged).memoize().indefinitely() : null));
    }

    /** Nothing to read nor store. */
    public Ahead none() {
        return new Ahead(null);
    }

    /** The catalogs being read, if they were due. */
    public final class Ahead {
        private final Uni<Read> read;
        private final AtomicBoolean started = new AtomicBoolean();

        private Ahead(Uni<Read> read) {
            this.read = read;
        }

        /** Sends the requests now, if due; a failure surfaces in {@link #store()}. */
        public void start() {
            if (read != null && started.compareAndSet(false, true)) {
                read.subscribe().with(done -> {
                }, failure -> {
                });
            }
        }

        /** Stores what was read, once the run's own writes are done. */
        public Uni<Void> store() {
            return read == null ? Uni.createFrom().voidItem() : read.chain(FunnelCatalogs.this::store);
        }
    }

    private static String tagsState(String list) {
        return "tags:" + list;
    }

    private Uni<Boolean> due(Map<String, CatalogStateStore.State> saved, List<String> tagged) {
        List<String> mine = new ArrayList<>(List.of(PIPELINES, LOSS_REASONS));
        tagged.forEach(list -> mine.add(tagsState(list)));
        if (!saved.keySet().containsAll(mine)) {
            return Uni.createFrom().item(true);
        }
        long oldest = mine.stream().mapToLong(state -> saved.get(state).checkedAt()).min().orElse(0);
        if (clock.instant().getEpochSecond() - oldest > config.maxAge().toSeconds()) {
            return Uni.createFrom().item(true);
        }
        return Panache.getSession().chain(session -> session.<Boolean> createNativeQuery(UNKNOWN_STAGE).getSingleResult());
    }

    /** Every catalog at once, within the budget, outside any database session. */
    private Uni<Read> read(List<String> tagged) {
        Map<String, List<Map<String, Object>>> rows = new java.util.concurrent.ConcurrentHashMap<>();
        List<Uni<Void>> reads = new ArrayList<>();
        reads.add(readable(PIPELINES, client.pipelines().invoke(pipelines -> {
            rows.put(PIPELINES, pipelines(pipelines));
            rows.put("statuses", statuses(pipelines));
        })));
        reads.add(readable(LOSS_REASONS, pages("leads/loss_reasons", "loss_reasons")
                .invoke(items -> rows.put(LOSS_REASONS, items.stream().map(FunnelCatalogs::lossReason).toList()))
                .onFailure(RequestRejected.class).recoverWithUni(rejected -> {
                    if (((RequestRejected) rejected).status() == 404) {
                        // an account older than the loss-reasons endpoint: it has none to list
                        rows.put(LOSS_REASONS, List.of());
                        return Uni.createFrom().nullItem();
                    }
                    return Uni.createFrom().failure(rejected);
                })));
        for (String list : tagged) {
            reads.add(readable(tagsState(list), pages(list + "/tags", "tags")
                    .invoke(items -> rows.put(tagsState(list), items.stream().map(item -> tag(list, item)).toList()))));
        }
        return Uni.join().all(reads).andCollectFailures().replaceWith(new Read(rows));
    }

    /** A catalog the account's user may not read is skipped, said once a run: the deals are still synced. */
    private static <T> Uni<Void> readable(String catalog, Uni<T> read) {
        return read.replaceWithVoid().onFailure(RequestRejected.class).recoverWithUni(refused -> {
            Log.warnf("The account's %s were not refreshed: %s. The entities are synced; give the integration's user"
                    + " the right to read them", catalog.replace('_', ' '), refused.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Pages 1, 2, ... of a catalog until a short or empty page. */
    private Uni<List<JsonNode>> pages(String path, String key) {
        List<JsonNode> all = new ArrayList<>();
        return pagesFrom(1, path, key, all).replaceWith(all);
    }

    private Uni<Void> pagesFrom(int page, String path, String key, List<JsonNode> all) {
        return client.catalog(path, page, PAGE).chain(answer -> {
            List<JsonNode> items = answer.items(key);
            all.addAll(items);
            return items.size() < PAGE || page >= MAX_PAGES ? Uni.createFrom().voidItem()
                    : pagesFrom(page + 1, path, key, all);
        });
    }

    private Uni<Void> store(Read read) {
        return Panache.withTransaction(() -> states.load().chain(saved -> Multi.createFrom()
                .iterable(read.rows().keySet().stream().filter(name -> !name.equals("statuses")).sorted().toList())
                .onItem().transformToUniAndConcatenate(catalog -> store(saved, catalog, read))
                .collect().last()))
                .replaceWithVoid();
    }

    private Uni<Void> store(Map<String, CatalogStateStore.State> saved, String catalog, Read read) {
        List<Map<String, Object>> rows = read.rows().get(catalog);
        String hash = catalog.equals(PIPELINES) ? hash(List.of(rows, read.rows().getOrDefault("statuses", List.of())))
                : hash(rows);
        CatalogStateStore.State before = saved.get(catalog);
        if (before != null && before.hash().equals(hash)) {
            return states.save(catalog, hash);
        }
        Uni<Long> written = switch (catalog) {
            case PIPELINES -> PIPELINE_ROWS.replace(json, rows, null)
                    .chain(pipelines -> STATUS_ROWS.replace(json, read.rows().get("statuses"), null)
                            .map(statuses -> pipelines + statuses));
            case LOSS_REASONS -> LOSS_REASON_ROWS.replace(json, rows, null);
            default -> TAG_ROWS.replace(json, rows, catalog.substring("tags:".length()));
        };
        return written.invoke(n -> Log.infof("The account's %s changed: %d rows written", catalog.replace('_', ' '), n))
                .chain(() -> states.save(catalog, hash));
    }

    private static List<Map<String, Object>> pipelines(Pipelines pipelines) {
        return pipelines.pipelines().stream().map(p -> row("pipeline_id", p.id(), "name", p.name(), "sort", p.sort(),
                "is_main", p.isMain(), "is_unsorted_on", p.isUnsortedOn(), "is_archive", p.isArchive())).toList();
    }

    private static List<Map<String, Object>> statuses(Pipelines pipelines) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Pipelines.Pipeline pipeline : pipelines.pipelines()) {
            for (Pipelines.Status status : pipeline.statuses()) {
                // every pipeline ends in 142 (won) and 143 (lost)
                rows.add(row("pipeline_id", pipeline.id(), "status_id", status.id(), "name", status.name(), "sort",
                        status.sort(), "type", status.type(), "color", status.color(), "is_editable",
                        status.isEditable(), "is_won", status.id() == 142, "is_lost", status.id() == 143));
            }
        }
        return rows;
    }

    private static Map<String, Object> lossReason(JsonNode item) {
        return row("loss_reason_id", item.path("id").asLong(), "name", text(item, "name"), "sort",
                item.path("sort").isNumber() ? item.path("sort").asInt() : null, "created_at", time(item, "created_at"),
                "updated_at", time(item, "updated_at"));
    }

    private static Map<String, Object> tag(String list, JsonNode item) {
        return row("entity_type", list, "tag_id", item.path("id").asLong(), "name", text(item, "name"), "color",
                text(item, "color"));
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** Unix seconds as an ISO instant, which PostgreSQL reads into timestamptz. */
    private static String time(JsonNode item, String field) {
        JsonNode value = item.path(field);
        return value.canConvertToLong() && value.isNumber() ? java.time.Instant.ofEpochSecond(value.asLong()).toString()
                : null;
    }

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private String hash(Object value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(value).getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a catalog", e);
        }
    }
}
