package dev.amocrmsync.auth;

/** amoCRM will not give (or we cannot use) OAuth tokens: someone has to authorize the integration again. */
public final class OAuthRefused extends RuntimeException {

    public OAuthRefused(String message) {
        super(message);
    }
}
