package dev.amocrmsync.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A webhook delivery as amoCRM sends it: {@code application/x-www-form-urlencoded}, PHP-style keys with the brackets
 * percent-encoded, every value a string, the account last. A mass edit arrives as one delivery of many items.
 */
public final class LegacyWebhook {

    private final List<String> parameters = new ArrayList<>();

    /** A delivery of the account with this id, whose subdomain the simulator names {@code simulated<id>}. */
    public static LegacyWebhook of(long accountId) {
        return new LegacyWebhook().account(accountId, "simulated" + accountId);
    }

    /** A delivery naming no account at all. */
    public static LegacyWebhook anonymous() {
        return new LegacyWebhook();
    }

    private long accountId;
    private String subdomain;

    private LegacyWebhook account(long id, String subdomain) {
        this.accountId = id;
        this.subdomain = subdomain;
        return this;
    }

    /** One raw parameter, encoded as amoCRM encodes it. */
    public LegacyWebhook param(String key, String value) {
        parameters.add(encode(key) + "=" + encode(value));
        return this;
    }

    /**
     * An item of {@code list} ({@code leads}, {@code contacts}, {@code companies}) and event {@code type}, with its
     * time ({@code last_modified}, unix seconds) and {@code customFields} fields of the legacy shape
     * ({@code custom_fields[k][id]}, {@code custom_fields[k][values][0][value]}): 2 + 2 × customFields parameters.
     */
    public LegacyWebhook item(String list, String type, int index, long id, long lastModified, int customFields) {
        String item = list + "[" + type + "][" + index + "]";
        param(item + "[id]", Long.toString(id));
        param(item + "[last_modified]", Long.toString(lastModified));
        for (int k = 0; k < customFields; k++) {
            param(item + "[custom_fields][" + k + "][id]", Integer.toString(900_000 + k));
            param(item + "[custom_fields][" + k + "][values][0][value]", "value " + k + " of " + id);
        }
        return this;
    }

    /** A deletion or restoration: the id only, no time. */
    public LegacyWebhook idOnly(String list, String type, int index, String id) {
        return param(list + "[" + type + "][" + index + "][id]", id);
    }

    /** How many form parameters the delivery has. */
    public int parameterCount() {
        return parameters.size() + (subdomain == null ? 0 : 2);
    }

    public String body() {
        List<String> all = new ArrayList<>(parameters);
        if (subdomain != null) {
            all.add(encode("account[subdomain]") + "=" + encode(subdomain));
            all.add(encode("account[id]") + "=" + accountId);
        }
        return String.join("&", all);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
