package dev.amocrmsync.cli;

import java.util.concurrent.Callable;

import dev.amocrmsync.auth.OAuthTokens;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Authorizes the integration once: the tokens it gets are stored encrypted and kept fresh by every later run. */
@Command(name = "oauth", mixinStandardHelpOptions = true, description = "Exchange an amoCRM authorization code (valid 20 minutes) for OAuth tokens and store them,"
        + " encrypted, in the database. Needs AMOCRM_CLIENT_ID, AMOCRM_CLIENT_SECRET, AMOCRM_REDIRECT_URI.")
class OAuthCommand implements Callable<Integer> {

    @Option(names = "--code", required = true, paramLabel = "<code>", description = "The authorization code from amoCRM (or from the redirect to AMOCRM_REDIRECT_URI).")
    String code;

    private final Launcher launcher;
    private final OAuthTokens tokens;

    OAuthCommand(Launcher launcher, OAuthTokens tokens) {
        this.launcher = launcher;
        this.tokens = tokens;
    }

    @Override
    public Integer call() {
        try {
            launcher.prepareDatabase();
            var expires = VertxContextSupport.subscribeAndAwait(() -> tokens.authorize(code));
            Log.infof("Authorized: OAuth tokens stored (encrypted) in oauth_tokens; the access token is valid until %s."
                    + " Runs without AMOCRM_ACCESS_TOKEN now use them and refresh them as needed.", expires);
            return Exit.OK.code;
        } catch (Throwable e) {
            return launcher.failed(e);
        }
    }
}
