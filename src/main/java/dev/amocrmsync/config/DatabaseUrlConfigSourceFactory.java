package dev.amocrmsync.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Lets operators keep the seed's single {@code DATABASE_URL} (from the environment or {@code .env}) instead of four
 * Quarkus datasource properties. Explicit {@code QUARKUS_DATASOURCE_*} settings still win: this source sits between
 * {@code application.properties} and the environment. In dev mode without any database setting it starts an embedded
 * PostgreSQL, so {@code ./mvnw quarkus:dev} works on a bare machine; the packaged application never does: there, no
 * database is a settings error reported by the command. {@code AMOCRM_DB_SCHEMA} puts every table of the account in a
 * schema of its own (see {@link AccountSchema}).
 */
public class DatabaseUrlConfigSourceFactory implements ConfigSourceFactory {

    /** Set instead of the datasource properties when {@code DATABASE_URL} cannot be used; read by the settings check. */
    public static final String PROBLEM = "database-url.problem";
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue databaseUrl = context.getValue("DATABASE_URL");
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (databaseUrl != null && databaseUrl.getValue() != null && !databaseUrl.getValue().isBlank()) {
            try {
                properties.putAll(DatabaseUrl.parse(databaseUrl.getValue()).toQuarkusProperties());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        } else if (context.getProfiles().contains("dev") && !configured(context)) {
            properties.putAll(DevDatabase.properties());
        }
        try {
            properties.putAll(AccountSchema.of(schemaSetting(context)).toQuarkusProperties());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            properties = Map.of(PROBLEM, String.join("; ", problems));
        }
        return properties.isEmpty() ? List.of() : List.of(new PropertiesConfigSource(properties, "DATABASE_URL", ORDINAL));
    }

    private static String schemaSetting(ConfigSourceContext context) {
        for (String name : List.of(AccountSchema.PROPERTY, "AMOCRM_DB_SCHEMA")) {
            ConfigValue value = context.getValue(name);
            if (value != null && value.getValue() != null) {
                return value.getValue();
            }
        }
        return null;
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean configured(ConfigSourceContext context) {
        ConfigValue url = context.getValue("quarkus.datasource.reactive.url");
        return url != null && url.getValue() != null && !url.getValue().isBlank();
    }
}
