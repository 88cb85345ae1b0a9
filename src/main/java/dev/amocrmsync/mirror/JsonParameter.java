package dev.amocrmsync.mirror;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Values bound as one JSON text parameter and unpacked in SQL with {@code CAST(CAST(:p AS text) AS jsonb)}: binding the
 * text straight to jsonb through Hibernate Reactive would store a JSON string scalar instead of the document.
 */
public final class JsonParameter {

    private JsonParameter() {
    }

    public static String of(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a query parameter", e);
        }
    }
}
