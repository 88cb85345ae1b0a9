package dev.amocrmsync.amocrm;

/** A 2xx whose body is not the JSON the API documents (truncated, HTML, garbage). Nothing of it is used. */
public final class MalformedResponse extends AmoCrmException {

    public MalformedResponse(String message, Throwable cause) {
        super(0, message, cause);
    }

    @Override
    public MalformedResponse forRequest(String request) {
        return new MalformedResponse(getMessage() + " (" + request + ")", getCause());
    }
}
