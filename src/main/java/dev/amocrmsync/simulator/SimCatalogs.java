package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The account's users and custom fields as {@code /api/v4/users} and {@code /api/v4/{leads|contacts|companies}/custom_fields}
 * list them, consistent with what {@link LeadGenerator} and {@link PartyGenerator} write into the records. Mutable, so tests
 * can rename a field, add or
 * remove one, or change a user between runs; the leads already generated keep their values.
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

    private final List<User> users = new ArrayList<>();
    private final List<Field> leadFields = new ArrayList<>();
    private final List<Field> contactFields = new ArrayList<>();
    private final List<Field> companyFields = new ArrayList<>();

    SimCatalogs() {
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
}
