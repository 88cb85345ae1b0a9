package dev.amocrmsync.mirror;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A page of rows as one JSON array, each row with the MD5 of its own serialization as {@code content_hash}: a re-read
 * of an unchanged item then writes nothing, and PostgreSQL does no hashing.
 */
final class HashedRows {

    private HashedRows() {
    }

    static String of(ObjectMapper json, List<?> rows) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            StringBuilder page = new StringBuilder(rows.size() * 2_048).append('[');
            for (Object row : rows) {
                byte[] serialized = json.writeValueAsBytes(row);
                String text = new String(serialized, StandardCharsets.UTF_8);
                page.append(page.length() == 1 ? "" : ",").append(text, 0, text.length() - 1)
                        .append(",\"content_hash\":\"").append(HexFormat.of().formatHex(md5.digest(serialized)))
                        .append("\"}");
            }
            return page.append(']').toString();
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a page of rows", e);
        }
    }
}
