package dev.amocrmsync.session;

import io.vertx.core.buffer.Buffer;

/**
 * amoCRM's answer to a call made with the browser session, passed on as it came; {@code date} is its {@code Date}
 * header, amoCRM's clock, which the sync bounds its runs by.
 */
public record ApiAnswer(int status, String contentType, String date, Buffer body) {

    /** Signs that the session is gone: a 401, a redirect (to the login page), or an HTML page where JSON belongs. */
    boolean sessionExpired() {
        return status == 401 || (status >= 300 && status < 400)
                || (status == 200 && contentType != null && contentType.contains("html"));
    }
}
