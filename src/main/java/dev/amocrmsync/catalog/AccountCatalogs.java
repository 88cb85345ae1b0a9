package dev.amocrmsync.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.amocrm.AccountBlocked;
import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.AmoCrmException;
import dev.amocrmsync.amocrm.CustomFieldsPage;
import dev.amocrmsync.amocrm.RequestRejected;
import dev.amocrmsync.amocrm.UsersPage;
import dev.amocrmsync.catalog.AmoCrmUserStore.UserRow;
import dev.amocrmsync.catalog.CustomFieldStore.FieldRow;
import dev.amocrmsync.catalog.FieldsView.Source;
import dev.amocrmsync.mirror.Entity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code amocrm_users}, the custom-field catalogs of the mirrored entities in {@code amocrm_custom_fields} and
 * their views ({@code amocrm_deals_fields}, ...) equal to the account's. A run reads the catalogs only when they are
 * older than {@link CatalogConfig#maxAge()} or a record names a field its catalog lacks; what it reads is compared by
 * hash, per catalog and per view, so an unchanged catalog rewrites no row and leaves its view alone.
 */
@ApplicationScoped
public class AccountCatalogs {

    static final String USERS = "users";
    private static final int MAX_PAGES = 200;

    private final AmoCrmClient client;
    private final CatalogStateStore states;
    private final AmoCrmUserStore users;
    private final CustomFieldStore fields;
    private final FieldsView views;
    private final CatalogConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    AccountCatalogs(AmoCrmClient client, CatalogStateStore states, AmoCrmUserStore users, CustomFieldStore fields,
            FieldsView views, CatalogConfig config, ObjectMapper json, Clock clock) {
        this.client = client;
        this.states = states;
        this.users = users;
        this.fields = fields;
        this.views = views;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** One entity's custom-field catalog, as one run read it; null when amoCRM refused to show it. */
    record EntityFields(Source source, List<FieldRow> fields) {
    }

    /** What the account's catalogs are, as one run read them; {@code users} null when amoCRM refused them. */
    record Read(String timeZone, List<UserRow> users, List<EntityFields> fields) {
    }

    /**
     * The hash saved for a catalog (and its view) amoCRM refused to show: not read again before the max age, and left
     * as it was, rows and view.
     */
    static final String REFUSED = "refused";

    /** The row of {@code amocrm_catalogs} for an entity's fields ({@code leads_custom_fields}, ...). */
    static String fieldsState(Source source) {
        return source.entity() + "_custom_fields";
    }

    /** The row of {@code amocrm_catalogs} for an entity's view ({@code view:amocrm_deals_fields}, ...). */
    static String viewState(Source source) {
        return "view:" + source.view();
    }

    /**
     * Reads the catalogs when due and stores what changed: the users, and the custom fields and view of each of these
     * entities ({@code leads}, {@code contacts}, {@code companies}: the API's names; others have none). A catalog amoCRM
     * refuses to show is skipped, said loudly.
     */
    public Uni<Void> refreshIfDue(List<Entity<?>> entities) {
        return ahead(entities).chain(Ahead::store);
    }

    /**
     * Whether the catalogs are due (a database query), and if so their requests ready to be sent at {@link Ahead#start()},
     * so they share the budget with the run's scans instead of adding round trips after them; {@link Ahead#store()}
     * stores what they read, once the run's own writes are done. A record the run writes naming an unknown field makes
     * the next run due.
     */
    public Uni<Ahead> ahead(List<Entity<?>> entities) {
        List<Source> sources = entities.stream().map(Source::of).flatMap(Optional::stream).toList();
        return Panache.withSession(() -> states.load().chain(saved -> due(saved, sources)))
                .map(due -> new Ahead(sources, due ? read(sources).memoize().indefinitely() : null));
    }

    /** Nothing to read nor store: a run that does not mirror the catalogs, or writes nothing. */
    public Ahead none() {
        return new Ahead(null, null);
    }

    /** The catalogs being read, if they were due. */
    public final class Ahead {
        private final List<Source> sources;
        private final Uni<Read> read;
        private final AtomicBoolean started = new AtomicBoolean();

        private Ahead(List<Source> sources, Uni<Read> read) {
            this.sources = sources;
            this.read = read;
        }

        /**
         * Sends the catalogs' requests now, if they were due; {@link #store()} sends them at the latest. A run starts
         * them at its first answer, while it maps that page and splits the scan: they fill the budget the scan leaves
         * idle then, instead of queueing ahead of its first pages.
         */
        public void start() {
            if (read != null && started.compareAndSet(false, true)) {
                // a failure surfaces in store()
                read.subscribe().with(done -> {
                }, failure -> {
                });
            }
        }

        /**
         * Stores what was read; when nothing was due at the start, asks again: a record this run wrote may name a
         * field the catalog does not know, and the catalog is then read at once. A catalog amoCRM refuses to show is
         * skipped, said loudly.
         */
        public Uni<Void> store() {
            if (sources == null) {
                return Uni.createFrom().voidItem();
            }
            Uni<Read> fresh = read != null ? read
                    : Panache.withSession(() -> states.load().chain(saved -> due(saved, sources)))
                            .chain(due -> due ? read(sources) : Uni.createFrom().nullItem());
            return fresh.chain(read -> read == null ? Uni.createFrom().voidItem() : AccountCatalogs.this.store(read))
                    .onFailure(RequestRejected.class).recoverWithUni(refused -> {
                        Log.warnf("The account's catalogs (users, custom fields) were not refreshed: %s. The entities"
                                + " are synced; give the integration the right to read users and fields",
                                refused.getMessage());
                        return Uni.createFrom().voidItem();
                    });
        }
    }

    /**
     * Due when a catalog or view of the selected entities was never stored, the oldest of them is past the max age, or
     * a record written since its catalog was read names an unknown field. Only the selected entities count: a catalog
     * left from an entity no longer mirrored must not make every run due.
     */
    private Uni<Boolean> due(Map<String, CatalogStateStore.State> saved, List<Source> sources) {
        List<String> mine = new ArrayList<>(List.of(USERS));
        sources.forEach(source -> mine.addAll(List.of(fieldsState(source), viewState(source))));
        if (!saved.keySet().containsAll(mine)) {
            return Uni.createFrom().item(true);
        }
        long oldest = mine.stream().mapToLong(state -> saved.get(state).checkedAt()).min().orElse(0);
        if (clock.instant().getEpochSecond() - oldest > config.maxAge().toSeconds()) {
            return Uni.createFrom().item(true);
        }
        Uni<Boolean> unknown = Uni.createFrom().item(false);
        for (Source source : sources.stream().filter(source -> !REFUSED.equals(saved.get(fieldsState(source)).hash()))
                .toList()) {
            unknown = unknown.chain(found -> found ? Uni.createFrom().item(true)
                    : fields.namesUnknownField(source, saved.get(fieldsState(source)).checkedAt()));
        }
        return unknown;
    }

    /** Every page of each catalog, the catalogs at once (within the budget), outside any database session. */
    Uni<Read> read(List<Source> sources) {
        Uni<String> zone = client.accountTimeZone();
        Uni<List<UserRow>> userRows = unlessRefused(pages(client::users, AmoCrmClient.USERS_PAGE_SIZE,
                page -> page.users().stream().map(AccountCatalogs::user).toList()), "/api/v4/users", "amocrm_users is");
        Uni<List<EntityFields>> fieldRows = Multi.createFrom().iterable(sources)
                .onItem().transformToUni(source -> unlessRefused(pages(page -> client.customFields(source.entity(), page),
                        AmoCrmClient.CUSTOM_FIELDS_PAGE_SIZE,
                        page -> page.fields().stream().map(AccountCatalogs::field).toList()),
                        "/api/v4/" + source.entity() + "/custom_fields",
                        "Its fields in amocrm_custom_fields and " + source.view() + " are")
                        .map(rows -> new EntityFields(source, rows)))
                .merge(Math.max(1, sources.size()))
                .collect().asList()
                // in the sources' order, whatever order the answers came in
                .map(read -> sources.stream().map(source -> read.stream()
                        .filter(fields -> fields.source().equals(source)).findFirst().orElseThrow()).toList());
        return Uni.combine().all().unis(zone, userRows, fieldRows).asTuple()
                .map(all -> new Read(zone(all.getItem1()), all.getItem2(), all.getItem3()));
    }

    /**
     * A catalog's rows, or null when amoCRM refuses to show it (403: the user the integration acts as may not read
     * users or an entity's fields, as happens in login/password mode; another 4xx alike), said once: only a 403 on
     * the entity lists or the account means the account is blocked. The rest of the account is mirrored regardless.
     */
    private static <T> Uni<T> unlessRefused(Uni<T> read, String endpoint, String keptAsItWas) {
        return read.onFailure(AccountCatalogs::refused).recoverWithItem(refused -> {
            Log.warnf("amoCRM refused GET %s (HTTP %d): the user the integration acts as may not read it. %s left as"
                    + " it was and asked again after AMOCRM_CATALOGS_MAX_AGE; give that user the right to it in amoCRM"
                    + " (or sync with an administrator's access). Everything else is mirrored", endpoint,
                    ((AmoCrmException) refused).status(), keptAsItWas);
            return null;
        });
    }

    private static boolean refused(Throwable failure) {
        return failure instanceof RequestRejected || failure instanceof AccountBlocked blocked && blocked.status() == 403;
    }

    private Uni<Void> store(Read read) {
        String usersHash = read.users() == null ? REFUSED
                : hash(read.users().stream().sorted(Comparator.comparingLong(UserRow::id)).toList());
        return Panache.withTransaction(() -> states.load().chain(saved -> {
            boolean usersChanged = read.users() != null && changed(saved, USERS, usersHash);
            return (usersChanged ? users.replace(read.users()) : Uni.createFrom().item(0L))
                    .invoke(n -> logChange(usersChanged, n, "users"))
                    .chain(() -> states.save(USERS, usersHash))
                    .chain(() -> Multi.createFrom().iterable(read.fields())
                            .onItem().transformToUniAndConcatenate(entity -> store(saved, entity, read.timeZone()))
                            .collect().last())
                    .replaceWithVoid();
        }));
    }

    /** One entity's fields and view: rows written only when the catalog's hash changed, the view only when its own. */
    private Uni<Void> store(Map<String, CatalogStateStore.State> saved, EntityFields entity, String timeZone) {
        Source source = entity.source();
        if (entity.fields() == null) {
            return states.save(fieldsState(source), REFUSED).chain(() -> states.save(viewState(source), REFUSED));
        }
        List<FieldsView.Column> columns = columns(source, entity.fields());
        String definition = FieldsView.definition(source, columns, timeZone);
        String fieldsHash = hash(entity.fields().stream().sorted(Comparator.comparingLong(FieldRow::id)).toList());
        String viewHash = hash(definition);
        boolean fieldsChanged = changed(saved, fieldsState(source), fieldsHash);
        return views.exists(source).chain(viewExists -> {
            boolean viewChanged = changed(saved, viewState(source), viewHash) || !viewExists;
            return (fieldsChanged ? fields.replace(source.entity(), entity.fields()) : Uni.createFrom().item(0L))
                    .invoke(n -> logChange(fieldsChanged, n, source.entity() + " custom fields"))
                    .chain(() -> viewChanged ? views.rebuild(source, definition)
                            .invoke(() -> Log.infof("Rebuilt %s: %d field columns", source.view(), columns.size()))
                            : Uni.createFrom().voidItem())
                    .chain(() -> states.save(fieldsState(source), fieldsHash))
                    .chain(() -> states.save(viewState(source), viewHash));
        });
    }

    /** The view's columns, in the catalog's order (sort, then id). */
    static List<FieldsView.Column> columns(Source source, List<FieldRow> entityFields) {
        Map<Long, String> names = ColumnNames.of(entityFields.stream()
                .map(f -> new ColumnNames.Named(f.id(), f.name())).toList(), Set.copyOf(source.ownColumns()));
        return entityFields.stream()
                .sorted(Comparator.comparing((FieldRow f) -> f.sort() == null ? Integer.MAX_VALUE : f.sort())
                        .thenComparingLong(FieldRow::id))
                .map(f -> new FieldsView.Column(names.get(f.id()), f.id(), FieldKinds.of(f.type())))
                .toList();
    }

    private static boolean changed(Map<String, CatalogStateStore.State> saved, String catalog, String hash) {
        CatalogStateStore.State state = saved.get(catalog);
        return state == null || !state.hash().equals(hash);
    }

    private static void logChange(boolean changed, long rows, String what) {
        if (changed) {
            Log.infof("The account's %s changed: %d rows written", what, rows);
        }
    }

    /** Pages 1, 2, ... until a short or empty page (amoCRM answers 204 past the end). */
    private static <P, R> Uni<List<R>> pages(IntFunction<Uni<P>> fetch, int pageSize,
            java.util.function.Function<P, List<R>> rows) {
        List<R> all = new ArrayList<>();
        return pagesFrom(1, fetch, pageSize, rows, all).replaceWith(all);
    }

    private static <P, R> Uni<Void> pagesFrom(int page, IntFunction<Uni<P>> fetch, int pageSize,
            java.util.function.Function<P, List<R>> rows, List<R> all) {
        return fetch.apply(page).chain(answer -> {
            List<R> some = rows.apply(answer);
            all.addAll(some);
            return some.size() < pageSize || page >= MAX_PAGES ? Uni.createFrom().voidItem()
                    : pagesFrom(page + 1, fetch, pageSize, rows, all);
        });
    }

    private static UserRow user(UsersPage.User user) {
        boolean admin = user.rights() != null && user.rights().path("is_admin").asBoolean(false);
        return new UserRow(user.id(), user.name(), user.email(), user.lang(), user.active(), admin, user.rights());
    }

    private static FieldRow field(CustomFieldsPage.Field field) {
        List<Map<String, Object>> enums = field.enums() == null ? null
                : field.enums().stream()
                        .map(e -> {
                            Map<String, Object> option = new java.util.LinkedHashMap<>();
                            option.put("id", e.id());
                            option.put("value", e.value());
                            option.put("sort", e.sort());
                            return option;
                        }).toList();
        return new FieldRow(field.id(), field.name(), field.type(), field.code(), field.sort(), field.isApiOnly(), enums);
    }

    /** The account's zone; UTC, said loudly, when amoCRM names none this JVM knows. */
    private static String zone(String name) {
        try {
            if (name != null && !name.isBlank()) {
                return ZoneId.of(name.strip()).getId();
            }
        } catch (DateTimeException e) {
            // fall through
        }
        Log.warnf("amoCRM named no usable time zone for the account (%s): date fields in the fields views are read"
                + " as UTC", name);
        return "UTC";
    }

    private String hash(Object value) {
        try {
            byte[] bytes = (value instanceof String s ? s : json.writeValueAsString(value)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a catalog", e);
        }
    }
}
