package dev.amocrmsync.mirror;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What PostgreSQL's text and jsonb cannot hold, replaced with U+FFFD before anything is stored: NUL, and a UTF-16
 * surrogate without its partner (JSON may escape one alone, {@code "x\ud800y"}, which is valid JSON that jsonb refuses
 * with 22P02). A single such character in one lead's name would otherwise make its page fail to commit on every run,
 * stopping the table for good. The only change ever made to what amoCRM sent.
 */
public final class StorableText {

    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {
    }

    /** The text itself when PostgreSQL can hold it (the usual case), else a copy with each offending char replaced. */
    public static String of(String text) {
        return text == null || storable(text) ? text : clean(text);
    }

    /** The node itself when every key and text in it can be stored (the usual case), else a cleaned copy. */
    public static JsonNode of(JsonNode node) {
        return storable(node) ? node : cleanNode(node);
    }

    private static boolean storable(JsonNode node) {
        if (node.isTextual()) {
            return storable(node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!storable(field.getKey()) || !storable(field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!storable(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length()
                        || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private static String clean(String text) {
        StringBuilder cleaned = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                cleaned.append(c).append(text.charAt(++i));
            } else {
                cleaned.append(c == '\0' || Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return cleaned.toString();
    }

    private static JsonNode cleanNode(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(of(node.textValue()));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode cleaned = object.objectNode();
            object.fields().forEachRemaining(field -> cleaned.set(of(field.getKey()), cleanNode(field.getValue())));
            return cleaned;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode cleaned = array.arrayNode();
            array.forEach(element -> cleaned.add(cleanNode(element)));
            return cleaned;
        }
        return node;
    }
}
