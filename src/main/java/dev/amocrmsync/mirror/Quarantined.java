package dev.amocrmsync.mirror;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An item (lead, contact, company) that could not be mapped, kept as received with the reason; {@code amocrmId} is null when it
 * had none.
 */
public record Quarantined(String amocrmId, String reason, JsonNode raw) {
}
