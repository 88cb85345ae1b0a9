package dev.amocrmsync.session;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The login/password mode: the browser-session service, and how the sync reaches it. The seed's environment names
 * ({@code AMOCRM_PLAYWRIGHT_URL}, {@code AMOCRM_EMAIL}, ...) are mapped onto these keys in application.properties.
 */
@ConfigMapping(prefix = "amocrm.session")
public interface SessionConfig {

    /** Where the sync finds the session service ({@code AMOCRM_PLAYWRIGHT_URL}). Default http://localhost:3002. */
    URI url();

    /** How long the sync waits for the service's {@code /health} before giving up. Default 5s. */
    @WithDefault("5s")
    Duration healthTimeout();

    /** Shared secret sent as {@code X-Session-Secret}; required by a service bound beyond localhost. No default. */
    Optional<String> secret();

    /** Port the service listens on ({@code AMOCRM_PLAYWRIGHT_PORT}). Default 3002. */
    int port();

    /** Address the service binds; anything but loopback requires {@link #secret()}. Default 127.0.0.1. */
    @WithDefault("127.0.0.1")
    String host();

    /** The amoCRM user's e-mail ({@code AMOCRM_EMAIL}). No default. */
    Optional<String> email();

    /** The amoCRM user's password ({@code AMOCRM_PASSWORD}); never logged. No default. */
    Optional<String> password();

    /** Browser storage state, reused at start ({@code AMOCRM_STATE_FILE}). Default ./data/amocrm-session.json. */
    Path stateFile();

    /** The Chromium to drive. Default /usr/bin/chromium (Debian's package). */
    @WithDefault("/usr/bin/chromium")
    Path chromium();

    /** Longest a login may take, form to pipeline page. Default 60s. */
    @WithDefault("60s")
    Duration loginTimeout();
}
