package dev.amocrmsync.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Dev mode without amoCRM credentials: a simulated account with a few thousand leads, contacts, companies, tasks and
 * notes and a salesperson at work, so a
 * newcomer sees a full sync and then incremental ones without an account. Exists only in dev-mode builds; started on
 * the main thread at startup, never on an event loop.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevModeSimulator {

    private static final String TOKEN = "dev-mode-simulator";

    private final Vertx vertx;
    private final boolean wanted;
    private volatile SimulatorServer server;

    DevModeSimulator(Vertx vertx, @ConfigProperty(name = "amocrm.access-token") Optional<String> token,
            @ConfigProperty(name = "amocrm.subdomain") Optional<String> subdomain,
            @ConfigProperty(name = "amocrm.base-url") Optional<String> baseUrl,
            @ConfigProperty(name = "amocrm.session.email") Optional<String> email) {
        this.vertx = vertx;
        this.wanted = token.isEmpty() && subdomain.isEmpty() && baseUrl.isEmpty() && email.isEmpty();
    }

    void onStart(@Observes StartupEvent event) {
        if (wanted) {
            SimulatedAccount account = SimulatedAccount.withEntities(42, 3_000, 4_000, 600, 3_000, 6_000,
                    Duration.ofDays(30));
            account.stampSecond(account.now() - 86_400, 400);
            server = SimulatorServer.start(vertx, account, "127.0.0.1", 0).acceptOnly(TOKEN).editsPerSecond(0.2);
            Log.infof("No amoCRM credentials set: syncing the simulated account at %s (%d leads, 4000 contacts, 600"
                    + " companies, 3000 tasks, 6000 notes, a change of each kind every 5 s)", server.url(),
                    account.size());
        }
    }

    /** The simulator's address when dev mode runs without credentials. */
    public Optional<URI> url() {
        return Optional.ofNullable(server).map(SimulatorServer::url);
    }

    public String token() {
        return TOKEN;
    }

    @PreDestroy
    void stop() {
        if (server != null) {
            server.close();
        }
    }
}
