package dev.amocrmsync.amocrm;

/** 5xx, 504, a timeout or a broken connection: worth retrying with backoff. */
public final class AmoCrmUnavailable extends AmoCrmException {

    public AmoCrmUnavailable(int status, String message, Throwable cause) {
        super(status, message, cause);
    }

    @Override
    public AmoCrmUnavailable forRequest(String request) {
        return new AmoCrmUnavailable(status(), getMessage() + " (" + request + ")", getCause());
    }
}
