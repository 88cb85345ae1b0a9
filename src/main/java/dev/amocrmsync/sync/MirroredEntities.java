package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.companies.Companies;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.contacts.Contacts;
import dev.amocrmsync.leads.Leads;
import dev.amocrmsync.scan.Entity;

/**
 * The entities a run mirrors ({@code amocrm.sync.entities}), in the order they are read: leads first, the table the
 * business reads; then contacts and companies.
 */
@ApplicationScoped
public class MirroredEntities {

    private static final String CATALOGS = "catalogs";

    private final Map<String, Entity<?>> known = new LinkedHashMap<>();
    private final SyncConfig config;

    MirroredEntities(Leads leads, Contacts contacts, Companies companies, SyncConfig config) {
        this.config = config;
        for (Entity<?> entity : List.of(leads, contacts, companies)) {
            known.put(entity.name(), entity);
        }
    }

    /** The selected entities, in reading order; fails with what is wrong when the setting names something unknown. */
    public List<Entity<?>> entities() {
        Set<String> selected = selected();
        List<Entity<?>> entities = new ArrayList<>();
        known.forEach((name, entity) -> {
            if (selected.contains(name)) {
                entities.add(entity);
            }
        });
        return entities;
    }

    /** Whether the catalogs (users, custom fields) are mirrored too. */
    public boolean catalogs() {
        return selected().contains(CATALOGS);
    }

    /** The entity with this API name ({@code leads}, ...), whether selected or not. */
    public Entity<?> named(String name) {
        return known.get(name);
    }

    private Set<String> selected() {
        List<String> names = config.entities().stream().map(name -> name.strip().toLowerCase()).toList();
        List<String> unknown = names.stream().filter(name -> !known.containsKey(name) && !name.equals(CATALOGS))
                .toList();
        if (!unknown.isEmpty() || names.isEmpty()) {
            throw new InvalidSettingsException("AMOCRM_SYNC_ENTITIES=" + String.join(",", config.entities())
                    + " names " + (unknown.isEmpty() ? "nothing" : "unknown entities " + unknown) + ": use any of "
                    + String.join(",", known.keySet()) + "," + CATALOGS + " (default: all)");
        }
        return Set.copyOf(names);
    }
}
