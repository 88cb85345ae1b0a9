package dev.amocrmsync.amocrm;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.amocrmsync.config.InvalidSettingsException;

/**
 * The account's own URL: {@code AMOCRM_BASE_URL} when set, else {@code https://{AMOCRM_SUBDOMAIN}.amocrm.ru}. Only https
 * is accepted, except for a loopback host (the simulator, a local proxy).
 */
public final class AccountUrl {

    private static final Pattern DNS_LABEL = Pattern.compile("(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private AccountUrl() {
    }

    public static URI of(AmoCrmConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return config.baseUrl().map(AccountUrl::withoutTrailingSlash)
                .orElseGet(
                        () -> URI.create("https://" + config.subdomain().orElseThrow().strip().toLowerCase() + ".amocrm.ru"));
    }

    /**
     * The account as the shared request budget knows it: its URL however it was typed. {@code AMOCRM_SUBDOMAIN=geodrive}
     * and {@code AMOCRM_BASE_URL=https://GeoDrive.amocrm.ru:443/} are one account and must share one budget, or two
     * processes on it would each send the whole pace. Scheme and host in lower case, no default port, no trailing slash
     * or dot.
     */
    public static String key(AmoCrmConfig config) {
        URI url = of(config);
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        int port = url.getPort();
        boolean defaultPort = port == -1 || port == ("https".equals(scheme) ? 443 : 80);
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }

    public static List<String> problems(AmoCrmConfig config) {
        List<String> problems = new ArrayList<>();
        Optional<URI> baseUrl = config.baseUrl();
        if (baseUrl.isPresent()) {
            URI url = baseUrl.get();
            if (url.getHost() == null || url.getRawUserInfo() != null) {
                problems.add("AMOCRM_BASE_URL must be the account's address such as https://geodrive.kommo.com"
                        + " (no user or password in it)");
            } else if (!"https".equalsIgnoreCase(url.getScheme())
                    && !("http".equalsIgnoreCase(url.getScheme()) && isLoopback(url.getHost()))) {
                problems.add("AMOCRM_BASE_URL must start with https:// (plain http is allowed only for localhost)");
            }
        } else if (config.subdomain().isEmpty()) {
            problems.add("Set AMOCRM_SUBDOMAIN (geodrive for https://geodrive.amocrm.ru), or AMOCRM_BASE_URL for"
                    + " kommo.com and amocrm.com accounts");
        } else if (!DNS_LABEL.matcher(config.subdomain().get().strip()).matches()) {
            problems.add("AMOCRM_SUBDOMAIN must be a single DNS label such as geodrive (letters, digits, hyphens),"
                    + " not a URL; use AMOCRM_BASE_URL for a full address");
        }
        return problems;
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        // only IP literals reach InetAddress, which then never asks DNS
        if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !literal.matches("[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static URI withoutTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }
}
