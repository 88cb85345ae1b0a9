package dev.amocrmsync.sync;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.Mirrored;

/**
 * The entities this build knows (every {@link Mirrored} bean, in their reading order) and those a run mirrors
 * ({@code AMOCRM_SYNC_ENTITIES}: all by default).
 */
@ApplicationScoped
public class MirroredEntities {

    /** The account's catalogs (users, custom fields, pipelines, loss reasons, tags): not an entity, selected alike. */
    public static final String CATALOGS = "catalogs";
    private static final String ALL = "all";

    private final Map<String, Entity<?>> known = new LinkedHashMap<>();
    private final SyncConfig config;

    MirroredEntities(@Any Instance<Mirrored> described, SyncConfig config) {
        this.config = config;
        described.stream().map(Mirrored::entity).sorted(Comparator.comparingInt(Entity::order))
                .forEach(entity -> known.put(entity.name(), entity));
    }

    /** The selected entities, in reading order; fails with what is wrong when the setting names something unknown. */
    public List<Entity<?>> entities() {
        Set<String> selected = selected();
        return known.values().stream().filter(entity -> selected.contains(entity.name())).toList();
    }

    /** Every entity this build knows, selected or not, in reading order. */
    public List<Entity<?>> known() {
        return List.copyOf(known.values());
    }

    /** Whether the catalogs are mirrored too. */
    public boolean catalogs() {
        return selected().contains(CATALOGS);
    }

    /** The entity with this name ({@code leads}, ...), whether selected or not. */
    public Optional<Entity<?>> named(String name) {
        return Optional.ofNullable(known.get(name));
    }

    /** The entity whose webhook deliveries come under {@code list} ({@code leads[update][0][id]}), selected or not. */
    public Optional<Entity<?>> ofWebhookList(String list) {
        return known.values().stream().filter(entity -> entity.webhookLists().contains(list)).findFirst();
    }

    /**
     * The listed entity one item of which is called {@code one} ({@code lead}, {@code contact}, {@code company}: how
     * amoCRM's events and webhooks name them), whether selected or not.
     */
    public Optional<Entity<?>> ofOne(String one) {
        return known.values().stream().filter(entity -> entity.one().equals(one) && entity.list().isPresent())
                .findFirst();
    }

    /** Whether this entity is mirrored ({@code AMOCRM_SYNC_ENTITIES}). */
    public boolean isSelected(Entity<?> entity) {
        return selected().contains(entity.name());
    }

    /** The names a setting may use: every entity's, and the groups' ({@code notes}) in place of their members. */
    private List<String> names() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        known.values().forEach(entity -> names.add(entity.group().orElse(entity.name())));
        return List.copyOf(names);
    }

    private Set<String> groups() {
        Set<String> groups = new java.util.HashSet<>();
        known.values().forEach(entity -> entity.group().ifPresent(groups::add));
        return groups;
    }

    private Set<String> selected() {
        List<String> names = config.entities().stream().map(name -> name.strip().toLowerCase()).toList();
        if (names.equals(List.of(ALL))) {
            Set<String> all = new java.util.HashSet<>(known.keySet());
            all.add(CATALOGS);
            return all;
        }
        Set<String> groups = groups();
        List<String> unknown = names.stream()
                .filter(name -> !known.containsKey(name) && !groups.contains(name) && !name.equals(CATALOGS)).toList();
        if (!unknown.isEmpty() || names.isEmpty()) {
            throw new InvalidSettingsException("AMOCRM_SYNC_ENTITIES=" + String.join(",", config.entities())
                    + " names " + (unknown.isEmpty() ? "nothing" : "unknown entities " + unknown) + ": use " + ALL
                    + " (the default) or any of " + String.join(",", names()) + "," + CATALOGS);
        }
        Set<String> selected = new java.util.HashSet<>(names);
        known.values().stream().filter(entity -> entity.group().filter(names::contains).isPresent())
                .forEach(entity -> selected.add(entity.name()));
        return selected;
    }
}
