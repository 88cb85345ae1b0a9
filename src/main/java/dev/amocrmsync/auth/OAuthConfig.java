package dev.amocrmsync.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** OAuth 2.0 of an amoCRM integration ({@code AMOCRM_CLIENT_ID}, {@code AMOCRM_CLIENT_SECRET}, {@code AMOCRM_REDIRECT_URI}). */
@ConfigMapping(prefix = "amocrm.oauth")
public interface OAuthConfig {

    /** The integration's ID ({@code AMOCRM_CLIENT_ID}). No default. */
    Optional<String> clientId();

    /** The integration's secret key ({@code AMOCRM_CLIENT_SECRET}); also keys the tokens' encryption. No default. */
    Optional<String> clientSecret();

    /** The redirect URI registered with the integration ({@code AMOCRM_REDIRECT_URI}). No default. */
    Optional<URI> redirectUri();

    /** How long before the access token expires it is refreshed. Default 10 minutes. */
    @WithDefault("10m")
    Duration refreshBefore();

    /** How often {@code serve} checks the tokens, so an idle installation never lets the refresh token die. Default 1h. */
    @WithDefault("1h")
    Duration keepAliveEvery();

    default boolean configured() {
        return clientId().filter(id -> !id.isBlank()).isPresent() && clientSecret().filter(s -> !s.isBlank()).isPresent();
    }
}
