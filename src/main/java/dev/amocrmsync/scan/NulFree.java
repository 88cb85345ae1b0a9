package dev.amocrmsync.scan;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * PostgreSQL's text and jsonb cannot hold U+0000, and a single NUL in one lead's name would make its page fail to
 * commit on every run, stopping the sync for good (and one {@code %00} in a webhook would lose its whole delivery). NULs are
 * replaced with U+FFFD, the only change ever made to what
 * amoCRM sent.
 */
public final class NulFree {

    static final char REPLACEMENT = '\uFFFD';

    private NulFree() {
    }

    /** The text itself when it holds no NUL (the usual case), else a copy with every NUL replaced. */
    public static String of(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', REPLACEMENT);
    }

    /** The node itself when it holds no NUL (the usual case), else a copy with every NUL replaced. */
    static JsonNode of(JsonNode node) {
        return hasNul(node) ? clean(node.deepCopy()) : node;
    }

    private static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().indexOf('\0') >= 0 || hasNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode clean(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(node.textValue().replace('\0', REPLACEMENT));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode cleaned = object.objectNode();
            object.fields().forEachRemaining(field -> cleaned.set(field.getKey().replace('\0', REPLACEMENT),
                    clean(field.getValue())));
            return cleaned;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode cleaned = array.arrayNode();
            array.forEach(element -> cleaned.add(clean(element)));
            return cleaned;
        }
        return node;
    }
}
