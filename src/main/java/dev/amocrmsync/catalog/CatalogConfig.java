package dev.amocrmsync.catalog;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the account's catalogs (users, custom fields) are kept: environment names {@code AMOCRM_CATALOGS_*}. */
@ConfigMapping(prefix = "amocrm.catalogs")
public interface CatalogConfig {

    /**
     * How old the stored catalogs may get before a run reads them again; a lead naming a field the catalog lacks
     * makes the next run read them at once. Default 1 hour.
     */
    @WithDefault("1h")
    Duration maxAge();
}
