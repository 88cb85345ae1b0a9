package dev.amocrmsync.metrics;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.prometheus.client.exporter.BasicAuthHttpConnectionFactory;
import io.prometheus.client.exporter.PushGateway;

/**
 * The Pushgateway's URL split into where it is and who asks: a Pushgateway behind basic auth is given as
 * {@code https://user:password@host:9091}, and the JDK's connection ignores a URL's userinfo, so the client would push
 * unauthenticated and meet a 401. The userinfo becomes the {@code Authorization} header instead, percent-decoded (a
 * password with {@code @} or {@code :} is written {@code %40}, {@code %3A}).
 *
 * @param url the URL without userinfo: safe to log
 * @param user the user of basic auth, if the URL named one
 * @param password its password (empty if the URL gave only a user)
 */
record PushgatewayAddress(URL url, Optional<String> user, String password) {

    /** What is wrong with a value {@link #of} refuses; the value itself is never quoted, it may hold a password. */
    static final String PROBLEM = "AMOCRM_METRICS_PUSHGATEWAY is not an http(s) URL with a host, such as"
            + " http://prometheus-pushgateway:9091 (behind basic auth: https://user:password@host:9091, with @ and :"
            + " in them percent-encoded)";

    /** The address {@code configured} names; empty when it is not an http(s) URL with a host. */
    static Optional<PushgatewayAddress> of(String configured) {
        URI uri;
        try {
            uri = new URI(configured.strip());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            return Optional.empty();
        }
        try {
            URL bare = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toURL();
            String userInfo = uri.getRawUserInfo();
            if (userInfo == null || userInfo.isEmpty()) {
                return Optional.of(new PushgatewayAddress(bare, Optional.empty(), ""));
            }
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            String password = colon < 0 ? "" : userInfo.substring(colon + 1);
            return Optional.of(new PushgatewayAddress(bare, Optional.of(decoded(user)), decoded(password)));
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    PushGateway client() {
        PushGateway client = new PushGateway(url);
        user.ifPresent(name -> client.setConnectionFactory(new BasicAuthHttpConnectionFactory(name, password)));
        return client;
    }

    /** Host and port only, for messages: nothing of the userinfo. */
    String named() {
        return url.getHost() + ":" + (url.getPort() < 0 ? url.getDefaultPort() : url.getPort());
    }

    @Override
    public String toString() {
        return url.toString();
    }

    private static String decoded(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
