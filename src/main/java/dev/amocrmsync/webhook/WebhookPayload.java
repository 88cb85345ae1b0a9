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

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * An amoCRM webhook delivery: {@code application/x-www-form-urlencoded} with PHP-style keys such as
 * {@code leads[status][0][id]=10701093} and {@code account[subdomain]=geodrive}, every value a string. Only what the
 * sync needs is read: which lead, and what happened to it.
 */
record WebhookPayload(Map<String, String> account, List<LeadEvent> events) {

    /**
     * One lead's event; {@code fields} are the item's own keys ({@code id}, {@code status_id}, {@code last_modified}...).
     * {@code occurredAt} is amoCRM's time of the change in unix seconds when the item says it (deletions do not).
     */
    record LeadEvent(String type, long leadId, Map<String, String> fields, Optional<Long> occurredAt) {

        /**
         * Equal for a repeated delivery of the same event. An event with a time differs from the lead's next change;
         * one without (a deletion, a restoration) may not, so the store compares those with the lead's event before.
         */
        String dedupeHash() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update((type + "|" + leadId + "|" + new TreeMap<>(fields)).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** False when the delivery names another account than the configured subdomain (when both are known). */
    boolean isFor(Optional<String> subdomain) {
        String from = account.get("subdomain");
        return from == null || subdomain.isEmpty() || from.equalsIgnoreCase(subdomain.get().strip());
    }

    /** The event types that say a lead changed; notes touch the lead too, through {@code element_id}. */
    private static final Pattern LEAD_KEY = Pattern.compile(
            "leads\\[(add|update|status|responsible|delete|restore|note)]\\[(\\d+)](.*)");

    /** The item keys that carry amoCRM's time of the change. */
    private static final List<String> TIME_KEYS = List.of("last_modified", "updated_at", "date_modify");

    /**
     * Reads a delivery, its events in time order; empty when it is not one (no form, no account, no lead event of a
     * known kind).
     */
    static Optional<WebhookPayload> parse(String body) {
        if (body == null || body.isBlank() || body.length() > 1_000_000) {
            return Optional.empty();
        }
        Map<String, List<String>> form;
        try {
            form = new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Map<String, String> account = new TreeMap<>();
        // in the order of the body: an item without a time (a deletion) stays where amoCRM put it
        Map<String, Map<String, String>> items = new LinkedHashMap<>();
        form.forEach((key, values) -> {
            String value = values.isEmpty() ? "" : values.get(0);
            if (key.startsWith("account[") && key.endsWith("]")) {
                account.put(key.substring(8, key.length() - 1), value);
            }
            Matcher lead = LEAD_KEY.matcher(key);
            if (lead.matches()) {
                items.computeIfAbsent(lead.group(1) + "#" + lead.group(2), item -> new TreeMap<>())
                        .put(lead.group(3).replaceAll("^\\[|]$", "").replace("][", "."), value);
            }
        });
        List<LeadEvent> events = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> item : items.entrySet()) {
            String type = item.getKey().substring(0, item.getKey().indexOf('#'));
            String id = type.equals("note") ? item.getValue().get("note.element_id") : item.getValue().get("id");
            if (id == null || !id.matches("\\d{1,18}")) {
                return Optional.empty();
            }
            events.add(new LeadEvent(type, Long.parseLong(id), item.getValue(), timeOf(item.getValue())));
        }
        events = inTimeOrder(events);
        return account.isEmpty() && events.isEmpty() ? Optional.empty() : Optional.of(new WebhookPayload(account, events));
    }

    /**
     * Stable by time; an event without one keeps the time of the event before it in the body, so a deletion
     * amoCRM lists after a change is applied after it, and delete, restore, delete stay in that order.
     */
    private static List<LeadEvent> inTimeOrder(List<LeadEvent> events) {
        Map<LeadEvent, Long> time = new IdentityHashMap<>();
        long previous = Long.MIN_VALUE;
        for (LeadEvent event : events) {
            previous = event.occurredAt().orElse(previous);
            time.put(event, previous);
        }
        List<LeadEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(time::get));
        return sorted;
    }

    private static Optional<Long> timeOf(Map<String, String> fields) {
        return TIME_KEYS.stream().map(fields::get).filter(value -> value != null && value.matches("\\d{1,12}"))
                .map(Long::valueOf).findFirst();
    }
}
