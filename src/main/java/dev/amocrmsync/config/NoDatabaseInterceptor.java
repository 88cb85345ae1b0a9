package dev.amocrmsync.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Without any database URL, Hibernate Reactive would fail the boot with a stack trace before a command can say what
 * to set, and commands that need no database ({@code simulate}, {@code --help}) could not run. So the persistence unit
 * is inactive exactly when no reactive URL resolves, unless configured explicitly. Resolved lazily, at lookup, so it
 * sees every source, test resources included.
 */
public class NoDatabaseInterceptor implements ConfigSourceInterceptor {

    private static final String ACTIVE = "quarkus.hibernate-orm.active";
    private static final String URL = "quarkus.datasource.reactive.url";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!ACTIVE.equals(name) || (value != null && value.getValue() != null)) {
            return value;
        }
        ConfigValue url = context.proceed(URL);
        boolean hasDatabase = url != null && url.getValue() != null && !url.getValue().isBlank();
        return hasDatabase ? value
                : ConfigValue.builder().withName(ACTIVE).withValue("false").withConfigSourceName("no database configured")
                        .build();
    }
}
