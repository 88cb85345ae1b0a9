package dev.amocrmsync.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.amocrmsync.mirror.Entity;

/**
 * Which entity a webhook item is about, as the entities' descriptions say: the list its items come under
 * ({@code leads[update][0][id]}: the deals; {@code task[add][0][id]}: the tasks), and the parent list whose
 * {@code note} items name a note of an entity ({@code leads[note][0][note][id]}: a note of a deal).
 *
 * @param items entity name by the list its items come under
 * @param notes entity name by the parent list its notes come under
 */
record WebhookRoutes(Map<String, String> items, Map<String, String> notes) {

    static WebhookRoutes of(List<Entity<?>> entities) {
        Map<String, String> items = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        for (Entity<?> entity : entities) {
            entity.webhookLists().forEach(list -> items.putIfAbsent(list, entity.name()));
            entity.webhookNotesOf().ifPresent(parent -> notes.putIfAbsent(parent, entity.name()));
        }
        return new WebhookRoutes(items, notes);
    }

    boolean knows(String list) {
        return items.containsKey(list) || notes.containsKey(list);
    }

    /** The entity whose item the list's own events name. */
    Optional<String> itemOf(String list) {
        return Optional.ofNullable(items.get(list));
    }

    /** The entity whose note a {@code note} event under the list names. */
    Optional<String> noteOf(String list) {
        return Optional.ofNullable(notes.get(list));
    }
}
