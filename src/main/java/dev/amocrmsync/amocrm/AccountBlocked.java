package dev.amocrmsync.amocrm;

/**
 * 402 (unpaid) or 403 (blocked, usually answered with an HTML page after repeated 429s). Retrying only makes a block
 * worse, so the run stops at once.
 */
public final class AccountBlocked extends AmoCrmException {

    public AccountBlocked(int status, String message) {
        super(status, message, null);
    }

    @Override
    public AccountBlocked forRequest(String request) {
        return new AccountBlocked(status(), getMessage() + " (" + request + ")");
    }
}
