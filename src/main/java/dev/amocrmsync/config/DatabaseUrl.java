package dev.amocrmsync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A PostgreSQL connection URI in the libpq form the original scripts used,
 * {@code postgresql://user:password@host:5432/database?sslmode=require}, turned into Quarkus datasource settings for
 * both the reactive client and the JDBC driver Flyway needs. Error messages never repeat the password.
 */
public record DatabaseUrl(String user, String password, String host, int port, String database,
        Map<String, String> parameters) {

    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");

    public static DatabaseUrl parse(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("postgresql://") && !trimmed.startsWith("postgres://")) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must look like postgresql://user:password@host:5432/database, not "
                            + redact(trimmed));
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL (" + redact(trimmed)
                    + "); percent-encode special characters in the password, e.g. @ as %40");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("DATABASE_URL names no host: " + redact(trimmed)
                    + (trimmed.indexOf('@') != trimmed.lastIndexOf('@')
                            ? "; percent-encode special characters in the password, e.g. @ as %40"
                            : ""));
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        String database = path.isEmpty() ? (user == null ? "postgres" : user) : decode(path);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (!pair.isEmpty()) {
                    String[] kv = pair.split("=", 2);
                    parameters.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
                }
            }
        }
        String sslMode = parameters.get("sslmode");
        if (sslMode != null && !SSL_MODES.contains(sslMode)) {
            throw new IllegalArgumentException("DATABASE_URL has sslmode=" + sslMode + "; use one of " + SSL_MODES);
        }
        return new DatabaseUrl(user, password, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, database,
                Map.copyOf(parameters));
    }

    /** The Quarkus datasource properties this URL stands for. */
    public Map<String, String> toQuarkusProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hostPort).append('/').append(database);
        String separator = "?";
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            jdbc.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = "&";
        }
        properties.put("quarkus.datasource.jdbc.url", jdbc.toString());
        properties.put("quarkus.datasource.reactive.url", "postgresql://" + hostPort + "/" + database);
        if (user != null) {
            properties.put("quarkus.datasource.username", user);
        }
        if (password != null) {
            properties.put("quarkus.datasource.password", password);
        }
        String sslMode = parameters.get("sslmode");
        if (sslMode != null) {
            properties.put("quarkus.datasource.reactive.postgresql.ssl-mode", sslMode);
            // libpq semantics: below verify-ca the connection is encrypted but the certificate is not checked
            properties.put("quarkus.datasource.reactive.trust-all", Boolean.toString(!sslMode.startsWith("verify")));
            if (sslMode.equals("verify-full")) {
                properties.put("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS");
            }
            String rootCert = parameters.get("sslrootcert");
            if (rootCert != null) {
                properties.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
                properties.put("quarkus.datasource.reactive.trust-certificate-pem.certs", rootCert);
            }
        }
        return properties;
    }

    /** Where this URL points, safe to print: {@code user@host:port/database}. */
    public String describe() {
        return (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }

    /**
     * The URL with its whole user-info replaced by {@code ***}, for messages. A password may hold any character, an
     * unencoded {@code @} or {@code /} included, so everything from the scheme to the last {@code @} goes.
     */
    public static String redact(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + describe() + "]";
    }
}
