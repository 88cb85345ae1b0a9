package dev.amocrmsync.webhook;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What happened to deliveries, on {@code /q/metrics}: amoCRM disables a hook after more than 100 answers other than
 * 2xx in 2 hours, so every refusal is counted where an alert can see it.
 */
@Singleton
class WebhookMetrics {

    /** How a delivery was answered. */
    enum Outcome {
        /** 200: every event durably stored (or already stored: a repeat). */
        STORED,
        /** 503: not stored in time, or the database failed; amoCRM delivers it again. */
        NOT_STORED,
        /** 400: not an amoCRM webhook, or naming no account; kept in {@code amocrm_webhook_events} for a look. */
        MALFORMED,
        /** 403: another account's delivery; logged, not stored. */
        OTHER_ACCOUNT,
        /** 413: larger than {@code AMOCRM_WEBHOOK_MAX_BODY_SIZE}. */
        TOO_LARGE
    }

    private final MeterRegistry registry;

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(Outcome outcome) {
        Counter.builder("amocrm_sync_webhook_deliveries").description("webhook deliveries, by how they were answered")
                .tag("outcome", outcome.name().toLowerCase()).register(registry).increment();
    }

    /** An item of a delivery that could not be read (its id not a number), set aside; the others were stored. */
    void skipped(String list) {
        Counter.builder("amocrm_sync_webhook_items_skipped")
                .description("webhook items that could not be read and were set aside, by list")
                .tag("list", list).register(registry).increment();
    }
}
