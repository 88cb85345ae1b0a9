package dev.amocrmsync.auth;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.amocrmsync.amocrm.AccountAccess;
import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.session.SessionConfig;
import dev.amocrmsync.simulator.DevModeSimulator;
import io.smallrye.mutiny.Uni;

/**
 * Chooses how this process reaches amoCRM, in the seed's order made safer: {@code AMOCRM_ACCESS_TOKEN} when set, else
 * OAuth tokens stored in the database, else (dev mode only, nothing configured) the simulated account, else the
 * browser-session service. The choice is made once, by {@link #activate()}, before the first call.
 */
@ApplicationScoped
public class ActiveAccess implements AccountAccess {

    private final AmoCrmConfig amoCrm;
    private final SessionConfig session;
    private final OAuthConfig oauth;
    private final OAuthTokens oauthTokens;
    private final Instance<DevModeSimulator> devSimulator;
    private volatile AccountAccess chosen;
    private volatile AccessMode mode;

    ActiveAccess(AmoCrmConfig amoCrm, SessionConfig session, OAuthConfig oauth, OAuthTokens oauthTokens,
            Instance<DevModeSimulator> devSimulator) {
        this.amoCrm = amoCrm;
        this.session = session;
        this.oauth = oauth;
        this.oauthTokens = oauthTokens;
        this.devSimulator = devSimulator;
    }

    /**
     * Picks the mode and checks it can work (stored OAuth tokens, the session service answering); fails with what to
     * set otherwise.
     */
    public Uni<AccessMode> activate() {
        if (chosen != null) {
            return Uni.createFrom().item(mode);
        }
        Optional<String> token = amoCrm.accessToken().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent()) {
            if (token.get().chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidSettingsException("AMOCRM_ACCESS_TOKEN contains spaces or line breaks; paste the"
                        + " token alone");
            }
            return choose(AccessMode.TOKEN, TokenAccess.longLived(AccountUrl.of(amoCrm), token.get()));
        }
        return oauthTokens.stored().chain(stored -> {
            if (stored && !oauth.configured()) {
                throw new InvalidSettingsException("OAuth tokens are stored in the database, but AMOCRM_CLIENT_ID and"
                        + " AMOCRM_CLIENT_SECRET are not set: set them (or AMOCRM_ACCESS_TOKEN)");
            }
            if (oauth.configured() && !stored) {
                throw new InvalidSettingsException("AMOCRM_CLIENT_ID is set but no OAuth tokens are stored: authorize"
                        + " once with `amocrm-sync oauth --code <authorization code>` (src-native-docs/auth.md)");
            }
            return stored ? choose(AccessMode.OAUTH, new OAuthAccess(AccountUrl.of(amoCrm), oauthTokens))
                    : withoutToken();
        });
    }

    private Uni<AccessMode> withoutToken() {
        Optional<URI> simulator = devSimulator.isResolvable() ? devSimulator.get().url() : Optional.empty();
        if (simulator.isPresent()) {
            return choose(AccessMode.SIMULATOR, new TokenAccess(simulator.get(), devSimulator.get().token(),
                    "the dev-mode simulator refused its own token", "simulated account at " + simulator.get()
                            + " (dev mode without AMOCRM_ACCESS_TOKEN)"));
        }
        SessionAccess sessionAccess = new SessionAccess(session);
        return sessionAccess.checkHealth().chain(() -> choose(AccessMode.SESSION, sessionAccess));
    }

    public AccessMode mode() {
        return mode;
    }

    private Uni<AccessMode> choose(AccessMode mode, AccountAccess access) {
        this.chosen = access;
        this.mode = mode;
        return Uni.createFrom().item(mode);
    }

    private AccountAccess chosen() {
        AccountAccess access = chosen;
        if (access == null) {
            throw new IllegalStateException("ActiveAccess.activate() must run before the first amoCRM call");
        }
        return access;
    }

    @Override
    public URI baseUri() {
        return chosen().baseUri();
    }

    @Override
    public Uni<Map<String, String>> requestHeaders() {
        return chosen().requestHeaders();
    }

    @Override
    public Uni<Map<String, String>> headersWithoutWaiting() {
        return chosen().headersWithoutWaiting();
    }

    @Override
    public Uni<Boolean> renewAfterRejection() {
        return chosen().renewAfterRejection();
    }

    @Override
    public String rejectionAdvice() {
        return chosen().rejectionAdvice();
    }

    @Override
    public String describe() {
        return chosen().describe();
    }
}
