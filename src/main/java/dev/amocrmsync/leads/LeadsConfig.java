package dev.amocrmsync.leads;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How leads become rows of {@code amocrm_deals}. */
@ConfigMapping(prefix = "amocrm.leads")
public interface LeadsConfig {

    /** The custom field holding the RentProg booking id ({@code AMOCRM_RENTPROG_FIELD_ID}). Default 902255. */
    long rentprogFieldId();

    /**
     * How old the cached pipeline and status names may get before they are read again
     * ({@code AMOCRM_SYNC_PIPELINES_MAX_AGE}). Default 1 hour.
     */
    @WithDefault("1h")
    Duration pipelinesMaxAge();
}
