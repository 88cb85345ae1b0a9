package dev.amocrmsync.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the account's tables live. The connection itself comes from {@code DATABASE_URL} (see
 * {@link DatabaseUrlConfigSourceFactory}).
 */
@ConfigMapping(prefix = "amocrm.db")
public interface DatabaseConfig {

    /**
     * The schema of this account's tables ({@code AMOCRM_DB_SCHEMA}): deals, sync state, runs, OAuth tokens, webhook
     * events. One schema per account lets several accounts share a database. Default {@code public}.
     */
    @WithDefault("public")
    String schema();
}
