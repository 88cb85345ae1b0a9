package dev.amocrmsync.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The PostgreSQL schema holding one account's tables ({@code AMOCRM_DB_SCHEMA}, default {@code public}, where the
 * original script's table lives). Every connection starts with it as its {@code search_path}, so each table, the
 * Flyway history, the run lock and the OAuth token row are the account's own, and the SQL stays unqualified. Only a
 * plain identifier is taken: the name reaches connection settings and messages, never quoted SQL.
 */
public record AccountSchema(String name) {

    /** The property; the environment spells it {@code AMOCRM_DB_SCHEMA}. */
    public static final String PROPERTY = "amocrm.db.schema";
    public static final AccountSchema DEFAULT = new AccountSchema("public");

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The schema named by the setting; {@code null} or blank is the default. */
    public static AccountSchema of(String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT;
        }
        String name = setting.strip();
        if (!PLAIN.matcher(name).matches() || name.startsWith("pg_")) {
            throw new IllegalArgumentException("AMOCRM_DB_SCHEMA must be a plain PostgreSQL identifier: lower-case"
                    + " letters, digits and _, not starting with a digit or pg_, at most 63 characters (such as "
                    + suggestion(name) + "), not \"" + name + "\"");
        }
        return new AccountSchema(name);
    }

    /**
     * The datasource and Flyway settings that put every connection and migration in this schema, {@code public}
     * included: PostgreSQL's own default, {@code "$user", public}, would put the tables in a schema named like the
     * database role whenever one exists (such as another account's), and the default account would read and write
     * there.
     */
    public Map<String, String> toQuarkusProperties() {
        return Map.of("quarkus.datasource.reactive.additional-properties.search_path", name,
                "quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", name,
                "quarkus.flyway.schemas", name,
                "quarkus.flyway.default-schema", name);
    }

    private static String suggestion(String name) {
        String plain = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^[^a-z_]+", "");
        return plain.isEmpty() || plain.startsWith("pg_") ? "account_geodrive" : plain;
    }
}
