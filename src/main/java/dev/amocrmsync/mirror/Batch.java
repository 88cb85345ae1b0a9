package dev.amocrmsync.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one answer from amoCRM gave: rows to upsert, items to quarantine, and the window progress to save with them,
 * all committed in one transaction. {@code window} is null outside the windowed scan; {@code received} holds the
 * items the rows were mapped from, as received, for a row PostgreSQL refuses to be quarantined as such.
 */
public record Batch<R>(WindowProgress window, List<R> rows, List<Quarantined> quarantined, List<Keyed> received) {

    public Batch(WindowProgress window, List<R> rows, List<Quarantined> quarantined) {
        this(window, rows, quarantined, List.of());
    }

    /** How many items amoCRM listed in this answer (mapped or not). */
    public int items() {
        return rows.size() + quarantined.size();
    }

    /**
     * This batch with the rows PostgreSQL refused moved to the quarantine, each kept as received with the reason.
     *
     * @param reasons why, by the row's id
     */
    public Batch<R> setAside(Map<String, String> reasons, Function<R, String> id) {
        if (reasons.isEmpty()) {
            return this;
        }
        List<R> kept = rows.stream().filter(row -> !reasons.containsKey(id.apply(row))).toList();
        List<Quarantined> aside = new ArrayList<>(quarantined);
        reasons.forEach((refused, reason) -> aside.add(new Quarantined(refused, reason, asReceived(refused))));
        return new Batch<>(window, kept, aside, received);
    }

    private JsonNode asReceived(String id) {
        return received.stream().filter(item -> Long.toString(item.id()).equals(id)).findFirst().map(Keyed::raw)
                .orElse(null);
    }
}
