package dev.amocrmsync.store;

import com.fasterxml.jackson.databind.JsonNode;

/** A lead that could not be mapped, kept as received with the reason; {@code leadId} is null when it had none. */
public record Quarantined(String leadId, String reason, JsonNode raw) {
}
