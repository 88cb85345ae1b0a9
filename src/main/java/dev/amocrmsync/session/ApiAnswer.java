package dev.amocrmsync.session;

import io.vertx.core.buffer.Buffer;

/** amoCRM's answer to a call made with the browser session, passed on as it came. */
public record ApiAnswer(int status, String contentType, Buffer body) {

    /** Signs that the session is gone: a 401, a redirect (to the login page), or an HTML page where JSON belongs. */
    boolean sessionExpired() {
        return status == 401 || (status >= 300 && status < 400)
                || (status == 200 && contentType != null && contentType.contains("html"));
    }
}
