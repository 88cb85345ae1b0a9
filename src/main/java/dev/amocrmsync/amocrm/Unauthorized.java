package dev.amocrmsync.amocrm;

/** 401: the token (or the browser session) was refused. Never retried as such; credentials may be renewed once. */
public final class Unauthorized extends AmoCrmException {

    public Unauthorized(String message) {
        super(401, message, null);
    }

    @Override
    public Unauthorized forRequest(String request) {
        return new Unauthorized(getMessage() + " (" + request + ")");
    }
}
