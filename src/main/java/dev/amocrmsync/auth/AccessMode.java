package dev.amocrmsync.auth;

/** How a run reaches amoCRM, in the order they are chosen. */
public enum AccessMode {
    /** {@code AMOCRM_ACCESS_TOKEN}: a long-lived token of a private integration. */
    TOKEN,
    /** Tokens stored by {@code amocrm-sync oauth --code ...}, refreshed before they expire. */
    OAUTH,
    /** Dev mode with no credentials at all: the built-in simulated account. */
    SIMULATOR,
    /** No token: login/password through the browser-session service. */
    SESSION
}
