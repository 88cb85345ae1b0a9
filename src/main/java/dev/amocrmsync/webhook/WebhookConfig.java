package dev.amocrmsync.webhook;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** amoCRM webhooks in {@code serve}: {@code POST /webhooks/amocrm/{AMOCRM_WEBHOOK_SECRET}}. */
@ConfigMapping(prefix = "amocrm.webhook")
public interface WebhookConfig {

    /** The secret part of the webhook URL ({@code AMOCRM_WEBHOOK_SECRET}); webhooks are off without it. No default. */
    Optional<String> secret();

    /** How often received events are applied. Default 1s. */
    @WithDefault("1s")
    Duration processEvery();

    /** Most events applied in one go. Default 500. */
    @WithDefault("500")
    int batchSize();

    /**
     * How long events claimed by one {@code serve} replica are its own to apply; a crashed replica's claimed events are
     * taken over by another after this. Longer than an application of a batch can take. Default 5m.
     */
    @WithDefault("5m")
    Duration claimLease();

    /**
     * The largest delivery read ({@code AMOCRM_WEBHOOK_MAX_BODY_SIZE}); a larger one is answered 413 whole, never read
     * in part. A mass edit of 30 leads with 25 custom fields is about 130 KB, 4M about 900 such leads: as much as a
     * 128 MB heap reads safely. Keep {@code quarkus.http.limits.max-body-size} (10M) above it, or the HTTP layer cuts
     * the connection first, with no log line. Default 4M.
     */
    @WithDefault("4M")
    MemorySize maxBodySize();
}
