package dev.amocrmsync.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.amocrmsync.mirror.StorableText;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * An amoCRM webhook delivery: {@code application/x-www-form-urlencoded} with PHP-style keys such as
 * {@code leads[status][0][id]=10701093}, {@code contacts[update][0][id]=…}, {@code companies[delete][0][id]=…} and
 * {@code account[subdomain]=geodrive}, every value a string. Only what the sync needs is read: which item of which
 * entity ({@link WebhookRoutes}: the deals, contacts, companies, tasks, notes), and what happened to it. An item that
 * cannot be read (its id not a number) is set aside in {@code skipped}; the others are read all the same.
 */
record WebhookPayload(Map<String, String> account, List<EntityEvent> events, List<SkippedItem> skipped) {

    /** An item left out, with why: its list ({@code leads}...), its key ({@code leads[update][3]}) and its fields. */
    record SkippedItem(String list, String key, String reason, Map<String, String> fields) {
    }

    /**
     * One item's event. {@code entity} is whose id {@code id} is, by the entity's name ({@code leads}, {@code tasks},
     * {@code lead_notes}). {@code fields} are the item's own keys ({@code id}, {@code status_id},
     * {@code last_modified}...). {@code occurredAt} is amoCRM's time of the change in unix seconds when the item says
     * it (deletions do not).
     */
    record EntityEvent(String entity, String type, long id, Map<String, String> fields, Optional<Long> occurredAt) {

        /**
         * Equal for a repeated delivery of the same event. An event with a time differs from the item's next change;
         * one without (a deletion, a restoration) may not, so the store compares those with the item's event before.
         */
        String dedupeHash() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update((entity + "|" + type + "|" + id + "|" + new TreeMap<>(fields)).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The account's id ({@code account[id]}), when the delivery says it as a number. */
    Optional<Long> accountId() {
        return Optional.ofNullable(account.get("id")).map(String::strip).filter(id -> id.matches("\\d{1,18}"))
                .map(Long::valueOf);
    }

    /** The account's subdomain ({@code account[subdomain]}), when the delivery says it. */
    Optional<String> accountSubdomain() {
        return Optional.ofNullable(account.get("subdomain")).map(String::strip).filter(sub -> !sub.isEmpty());
    }

    /**
     * Whether the delivery is of the account with this id and subdomain (either may be null: unknown): by id when both
     * sides know it, else by subdomain; true when nothing can be compared. A delivery naming no account is of none.
     */
    boolean isOf(Long id, String subdomain) {
        if (accountId().isEmpty() && accountSubdomain().isEmpty()) {
            return false;
        }
        if (id != null && accountId().isPresent()) {
            return id.equals(accountId().get());
        }
        return subdomain == null || subdomain.isBlank() || accountSubdomain().isEmpty()
                || accountSubdomain().get().equalsIgnoreCase(subdomain.strip());
    }

    /** How the delivery names its account, for a log line. */
    String describeAccount() {
        return accountSubdomain().orElse("?") + " (id " + accountId().map(String::valueOf).orElse("?") + ")";
    }

    /**
     * An item of a list: {@code leads[status][0][id]}, {@code task[add][0][id]}, {@code contacts[note][2][note][id]}.
     * Lists no entity is routed from ({@code unsorted}...) are left out.
     */
    private static final Pattern ITEM_KEY = Pattern.compile("([a-z_]+)\\[([a-z_]+)]\\[(\\d+)](.*)");

    /** A {@code note} event: a note added to the item; it names the note ({@code note.id}) and its item. */
    private static final String NOTE = "note";

    /** The legacy {@code element_type} of a note on a company (1 contact, 2 lead, 3 company). */
    private static final String COMPANY_ELEMENT = "3";

    /** The item keys that carry amoCRM's time of the change. */
    private static final List<String> TIME_KEYS = List.of("last_modified", "updated_at", "date_modify");

    /**
     * Reads a delivery, its events in time order; empty when it is not one (no form, no account, no item of a known
     * kind).
     */
    static Optional<WebhookPayload> parse(String body, WebhookRoutes routes) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        Map<String, String> form;
        try {
            form = form(body);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Map<String, String> account = new TreeMap<>();
        // in the order of the body: an item without a time (a deletion) stays where amoCRM put it
        Map<String, Map<String, String>> items = new LinkedHashMap<>();
        form.forEach((key, value) -> {
            if (key.startsWith("account[") && key.endsWith("]")) {
                account.put(key.substring(8, key.length() - 1), value);
            }
            Matcher item = ITEM_KEY.matcher(key);
            if (item.matches() && routes.knows(item.group(1))) {
                items.computeIfAbsent(item.group(1) + "#" + item.group(2) + "#" + item.group(3), k -> new TreeMap<>())
                        .put(fieldName(item.group(4)), value);
            }
        });
        List<EntityEvent> events = new ArrayList<>();
        List<SkippedItem> skipped = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> item : items.entrySet()) {
            String[] key = item.getKey().split("#");
            Map<String, String> fields = item.getValue();
            String type = key[1];
            String list = listOf(key[0], fields);
            String name = key[0] + "[" + type + "][" + key[2] + "]";
            // a note names its item (which changed) and the note itself
            String idKey = type.equals(NOTE) ? "note.element_id" : "id";
            Optional<String> itemEntity = routes.itemOf(list);
            if (itemEntity.isPresent() && !read(itemEntity.get(), type, idKey, name, list, fields, events, skipped)) {
                continue;
            }
            Optional<String> noteEntity = type.equals(NOTE) ? routes.noteOf(list) : Optional.empty();
            // a delivery that names no note id still names its item: the note itself is then read by the next run
            if (noteEntity.isPresent() && fields.containsKey("note.id")) {
                read(noteEntity.get(), type, "note.id", name, list, fields, events, skipped);
            }
        }
        events = inTimeOrder(events);
        return account.isEmpty() && events.isEmpty() && skipped.isEmpty() ? Optional.empty()
                : Optional.of(new WebhookPayload(account, events, skipped));
    }

    /** Reads one event of {@code entity} keyed by {@code idKey}; false (and the item set aside) when it has no id. */
    private static boolean read(String entity, String type, String idKey, String name, String list,
            Map<String, String> fields, List<EntityEvent> events, List<SkippedItem> skipped) {
        String id = fields.get(idKey);
        if (id == null || !id.matches("\\d{1,18}")) {
            skipped.add(new SkippedItem(list, name, id == null ? "no " + idKey : idKey + " '" + id + "' is not a number",
                    fields));
            return false;
        }
        events.add(new EntityEvent(entity, type, Long.parseLong(id), fields, timeOf(fields)));
        return true;
    }

    /**
     * Every parameter of the body, the first value of a repeated key, in the body's order. All of them: a decoder's
     * usual cap (1,024 in Netty's) would drop the end of a mass edit without a word (30 leads with 25 custom fields are
     * 1,561 parameters); the size limit of a delivery ({@code AMOCRM_WEBHOOK_MAX_BODY_SIZE}) bounds it instead. A
     * semicolon is an ordinary character in a form. A NUL ({@code %00}) becomes U+FFFD, as on the API's path:
     * PostgreSQL cannot keep U+0000, and one would fail the whole delivery's insert.
     */
    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int start = 0; start < body.length();) {
            int end = body.indexOf('&', start);
            end = end < 0 ? body.length() : end;
            int equals = body.indexOf('=', start);
            boolean hasValue = equals >= 0 && equals < end;
            String key = decode(body.substring(start, hasValue ? equals : end));
            if (!key.isEmpty()) {
                form.putIfAbsent(key, hasValue ? decode(body.substring(equals + 1, end)) : "");
            }
            start = end + 1;
        }
        return form;
    }

    private static String decode(String component) {
        return StorableText.of(QueryStringDecoder.decodeComponent(component, StandardCharsets.UTF_8));
    }

    /** {@code [custom_fields][0][values][0][value]} → {@code custom_fields.0.values.0.value}; {@code [id]} → {@code id}. */
    private static String fieldName(String brackets) {
        int from = brackets.startsWith("[") ? 1 : 0;
        int to = brackets.endsWith("]") ? brackets.length() - 1 : brackets.length();
        return from >= to ? "" : brackets.substring(from, to).replace("][", ".");
    }

    /**
     * Stable by time; an event without one keeps the time of the event before it in the body, so a deletion
     * amoCRM lists after a change is applied after it, and delete, restore, delete stay in that order.
     */
    private static List<EntityEvent> inTimeOrder(List<EntityEvent> events) {
        Map<EntityEvent, Long> time = new IdentityHashMap<>();
        long previous = Long.MIN_VALUE;
        for (EntityEvent event : events) {
            previous = event.occurredAt().orElse(previous);
            time.put(event, previous);
        }
        List<EntityEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(time::get));
        return sorted;
    }

    /**
     * The list an item belongs to. Some accounts deliver a company's events under {@code contacts[...]} with
     * {@code type=company} (amoCRM keeps contacts and companies in one table of its own); a note says it by its
     * {@code element_type}.
     */
    private static String listOf(String list, Map<String, String> fields) {
        return list.equals("contacts") && ("company".equalsIgnoreCase(fields.get("type"))
                || COMPANY_ELEMENT.equals(fields.get("note.element_type"))) ? "companies" : list;
    }

    private static Optional<Long> timeOf(Map<String, String> fields) {
        return TIME_KEYS.stream().map(fields::get).filter(value -> value != null && value.matches("\\d{1,12}"))
                .map(Long::valueOf).findFirst();
    }
}
