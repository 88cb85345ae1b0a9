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
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.CustomFieldsPage;
import dev.amocrmsync.amocrm.RequestRejected;
import dev.amocrmsync.amocrm.UsersPage;
import dev.amocrmsync.store.AmoCrmUserStore;
import dev.amocrmsync.store.AmoCrmUserStore.UserRow;
import dev.amocrmsync.store.CatalogStateStore;
import dev.amocrmsync.store.CustomFieldStore;
import dev.amocrmsync.store.CustomFieldStore.FieldRow;
import dev.amocrmsync.store.DealsFieldsView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code amocrm_users}, the leads' {@code amocrm_custom_fields} and the view {@code amocrm_deals_fields} equal to
 * the account's catalogs. A run reads the catalogs only when they are older than {@link CatalogConfig#maxAge()} or a
 * lead names a field the catalog lacks; what it reads is compared by hash, so an unchanged catalog rewrites no row and
 * leaves the view alone.
 */
@ApplicationScoped
public class AccountCatalogs {

    static final String USERS = "users";
    static final String LEAD_FIELDS = "leads_custom_fields";
    static final String VIEW = "view:" + DealsFieldsView.NAME;
    private static final int MAX_PAGES = 200;

    private final AmoCrmClient client;
    private final CatalogStateStore states;
    private final AmoCrmUserStore users;
    private final CustomFieldStore fields;
    private final DealsFieldsView view;
    private final CatalogConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    AccountCatalogs(AmoCrmClient client, CatalogStateStore states, AmoCrmUserStore users, CustomFieldStore fields,
            DealsFieldsView view, CatalogConfig config, ObjectMapper json, Clock clock) {
        this.client = client;
        this.states = states;
        this.users = users;
        this.fields = fields;
        this.view = view;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** What the account's catalogs are, as one run read them. */
    record Read(String timeZone, List<UserRow> users, List<FieldRow> leadFields) {
    }

    /** Reads the catalogs when due and stores what changed. A catalog amoCRM refuses to show is skipped, said loudly. */
    public Uni<Void> refreshIfDue() {
        return Panache.withSession(() -> states.load().chain(this::due))
                .chain(due -> due ? read().chain(this::store) : Uni.createFrom().voidItem())
                .onFailure(RequestRejected.class).recoverWithUni(refused -> {
                    Log.warnf("The account's catalogs (users, custom fields) were not refreshed: %s. The leads are"
                            + " synced; give the integration the right to read users and fields", refused.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Boolean> due(Map<String, CatalogStateStore.State> saved) {
        if (!saved.keySet().containsAll(List.of(USERS, LEAD_FIELDS, VIEW))) {
            return Uni.createFrom().item(true);
        }
        long oldest = saved.values().stream().mapToLong(CatalogStateStore.State::checkedAt).min().orElse(0);
        if (clock.instant().getEpochSecond() - oldest > config.maxAge().toSeconds()) {
            return Uni.createFrom().item(true);
        }
        return fields.leadNamesUnknownField(saved.get(LEAD_FIELDS).checkedAt());
    }

    /** Every page of each catalog, one request after another, outside any database session. */
    Uni<Read> read() {
        return client.accountTimeZone().chain(zone -> pages(client::users, AmoCrmClient.USERS_PAGE_SIZE,
                page -> page.users().stream().map(AccountCatalogs::user).toList())
                .chain(userRows -> pages(page -> client.customFields("leads", page),
                        AmoCrmClient.CUSTOM_FIELDS_PAGE_SIZE,
                        page -> page.fields().stream().map(AccountCatalogs::field).toList())
                        .map(fieldRows -> new Read(zone(zone), userRows, fieldRows))));
    }

    private Uni<Void> store(Read read) {
        List<DealsFieldsView.Column> columns = columns(read.leadFields());
        String definition = DealsFieldsView.definition(columns, read.timeZone());
        String usersHash = hash(read.users().stream().sorted(Comparator.comparingLong(UserRow::id)).toList());
        String fieldsHash = hash(read.leadFields().stream().sorted(Comparator.comparingLong(FieldRow::id)).toList());
        String viewHash = hash(definition);
        return Panache.withTransaction(() -> states.load().chain(saved -> view.exists().chain(viewExists -> {
            boolean usersChanged = changed(saved, USERS, usersHash);
            boolean fieldsChanged = changed(saved, LEAD_FIELDS, fieldsHash);
            boolean viewChanged = changed(saved, VIEW, viewHash) || !viewExists;
            return (usersChanged ? users.replace(read.users()) : Uni.createFrom().item(0L))
                    .invoke(n -> logChange(usersChanged, n, "users"))
                    .chain(() -> fieldsChanged ? fields.replace("leads", read.leadFields()) : Uni.createFrom().item(0L))
                    .invoke(n -> logChange(fieldsChanged, n, "lead custom fields"))
                    .chain(() -> viewChanged ? view.rebuild(definition)
                            .invoke(() -> Log.infof("Rebuilt %s: %d field columns", DealsFieldsView.NAME, columns.size()))
                            : Uni.createFrom().voidItem())
                    .chain(() -> states.save(USERS, usersHash))
                    .chain(() -> states.save(LEAD_FIELDS, fieldsHash))
                    .chain(() -> states.save(VIEW, viewHash));
        })));
    }

    /** The view's columns, in the catalog's order (sort, then id). */
    static List<DealsFieldsView.Column> columns(List<FieldRow> leadFields) {
        Map<Long, String> names = ColumnNames.of(leadFields.stream()
                .map(f -> new ColumnNames.Named(f.id(), f.name())).toList());
        return leadFields.stream()
                .sorted(Comparator.comparing((FieldRow f) -> f.sort() == null ? Integer.MAX_VALUE : f.sort())
                        .thenComparingLong(FieldRow::id))
                .map(f -> new DealsFieldsView.Column(names.get(f.id()), f.id(), FieldKinds.of(f.type())))
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
        Log.warnf("amoCRM named no usable time zone for the account (%s): date fields in %s are read as UTC",
                name, DealsFieldsView.NAME);
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
