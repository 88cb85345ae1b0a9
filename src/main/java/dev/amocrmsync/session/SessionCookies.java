package dev.amocrmsync.session;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a browser login leaves behind for API calls: the account's cookies (sent as they are) and the browser's user
 * agent. amoCRM's web login sets an {@code access_token} cookie; whether {@code /api/v4} reads it from the cookie or
 * wants it as a bearer token is undocumented, so it is sent both ways.
 */
public record SessionCookies(List<Cookie> cookies, String userAgent) {

    public record Cookie(String name, String value, String domain, String path) {

        /** The value is a session secret: never printed. */
        @Override
        public String toString() {
            return "Cookie[" + name + " for " + domain + path + "]";
        }
    }

    public SessionCookies {
        cookies = List.copyOf(cookies);
    }

    /** The headers of an API request to {@code account}. */
    public Map<String, String> headersFor(URI account) {
        List<Cookie> matching = cookies.stream().filter(cookie -> matches(cookie, account)).toList();
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (!matching.isEmpty()) {
            headers.put("Cookie", matching.stream().map(c -> c.name() + "=" + c.value()).collect(Collectors.joining("; ")));
        }
        bearer(matching).ifPresent(token -> headers.put("Authorization", "Bearer " + token));
        if (userAgent != null && !userAgent.isBlank()) {
            headers.put("User-Agent", userAgent);
        }
        return headers;
    }

    public boolean isEmpty() {
        return cookies.isEmpty();
    }

    private static Optional<String> bearer(List<Cookie> cookies) {
        return cookies.stream().filter(c -> c.name().equals("access_token")).map(Cookie::value).findFirst();
    }

    private static boolean matches(Cookie cookie, URI account) {
        String host = account.getHost().toLowerCase(Locale.ROOT);
        String domain = cookie.domain() == null ? host : cookie.domain().toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
        return host.equals(domain) || host.endsWith("." + domain);
    }

    @Override
    public String toString() {
        return "SessionCookies[" + cookies.size() + " cookies]";
    }
}
