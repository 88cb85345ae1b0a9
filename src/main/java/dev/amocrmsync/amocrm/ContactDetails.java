package dev.amocrmsync.amocrm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Phones and e-mails of a contact or company: the values of its multitext fields coded {@code PHONE} and
 * {@code EMAIL}, normalised so the same number typed two ways joins: a phone becomes its digits with a leading
 * {@code +} (a Russian 11-digit number starting with 8 becomes +7...), an e-mail is trimmed and lower-cased. A value
 * longer than {@link #INDEXED_MAX} is no phone nor address and is left out: the arrays are indexed, an index entry
 * holds about 2,700 bytes, and one such value would fail its contact's whole page. It stays in the custom fields.
 */
public final class ContactDetails {

    /** The longest normalised value kept (characters; 4 bytes each at most, well inside an index entry). */
    public static final int INDEXED_MAX = 512;

    private ContactDetails() {
    }

    public static List<String> phones(JsonNode customFieldsValues) {
        List<String> phones = new ArrayList<>();
        for (String raw : values(customFieldsValues, "PHONE")) {
            String digits = raw.replaceAll("[^0-9]", "");
            if (digits.length() == 11 && digits.startsWith("8")) {
                digits = "7" + digits.substring(1);
            }
            if (!digits.isEmpty() && digits.length() < INDEXED_MAX) {
                phones.add("+" + digits);
            }
        }
        return List.copyOf(new LinkedHashSet<>(phones));
    }

    public static List<String> emails(JsonNode customFieldsValues) {
        Set<String> emails = new LinkedHashSet<>();
        for (String raw : values(customFieldsValues, "EMAIL")) {
            String email = raw.strip().toLowerCase(Locale.ROOT);
            if (!email.isEmpty() && email.length() <= INDEXED_MAX) {
                emails.add(email);
            }
        }
        return List.copyOf(emails);
    }

    private static List<String> values(JsonNode customFieldsValues, String code) {
        List<String> values = new ArrayList<>();
        if (customFieldsValues == null || !customFieldsValues.isArray()) {
            return values;
        }
        for (JsonNode field : customFieldsValues) {
            if (code.equals(field.path("field_code").asText(null))) {
                for (JsonNode value : field.path("values")) {
                    JsonNode text = value.path("value");
                    if (text.isValueNode() && !text.isNull()) {
                        values.add(text.asText());
                    }
                }
            }
        }
        return values;
    }
}
