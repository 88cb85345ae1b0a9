package dev.amocrmsync.auth;

/** The browser-session service is down, or up but unable to log in to amoCRM. */
public final class SessionServiceUnavailable extends RuntimeException {

    SessionServiceUnavailable(String message) {
        super(message);
    }
}
