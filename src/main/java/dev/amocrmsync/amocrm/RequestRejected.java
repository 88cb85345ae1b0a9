package dev.amocrmsync.amocrm;

/** 400, 404, 422 and other 4xx: the request itself is wrong; retrying cannot help. */
public final class RequestRejected extends AmoCrmException {

    public RequestRejected(int status, String message) {
        super(status, message, null);
    }

    @Override
    public RequestRejected forRequest(String request) {
        return new RequestRejected(status(), getMessage() + " (" + request + ")");
    }
}
