package dev.amocrmsync.testing;

import java.util.Map;

import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

/**
 * The simulated amoCRM account on a random port for every Quarkus test, in token mode. The test controls the
 * instance it started ({@link #server()}, {@link #serve(SimulatedAccount)}). Command-line tests start the application
 * in a class loader of their own per launch, so they {@link #publish()} their instance's URL for the whole JVM while
 * they run.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** An obviously fake token: the simulator accepts only this one, so a missing header shows as 401. */
    public static final String TOKEN = "fake";
    private static final String URL = "amocrmsync.test.simulator-url";

    private static SimulatorServer server;

    public static synchronized SimulatorServer server() {
        if (server == null) {
            server = SimulatorServer.start(Vertx.vertx(), new SimulatedAccount(1), "127.0.0.1", 0).acceptOnly(TOKEN);
        }
        return server;
    }

    /** Applications started from now on, in any class loader of this JVM, call this class loader's simulator. */
    public static void publish() {
        System.setProperty(URL, server().url().toString());
    }

    public static void unpublish() {
        System.clearProperty(URL);
    }

    /** Serves this account from now on, with healthy faults and fresh request counts. */
    public static SimulatedAccount serve(SimulatedAccount account) {
        server().serve(account).acceptOnly(TOKEN).editsPerSecond(0);
        return account;
    }

    /** A packaged process's settings: this database, the shared simulator and its token. Mutable, to add to. */
    public static Map<String, String> processSettings(String databaseUrl) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("DATABASE_URL", databaseUrl);
        settings.put("AMOCRM_BASE_URL", server().url().toString());
        settings.put("AMOCRM_ACCESS_TOKEN", TOKEN);
        return settings;
    }

    private boolean withToken = true;

    /** {@code mode=oauth}: the application gets the account URL but no long-lived token. */
    @Override
    public void init(Map<String, String> args) {
        withToken = !"oauth".equals(args.get("mode"));
    }

    @Override
    public Map<String, String> start() {
        String url = System.getProperty(URL);
        String account = url != null ? url : server().url().toString();
        return withToken ? Map.of("amocrm.base-url", account, "amocrm.access-token", TOKEN)
                : Map.of("amocrm.base-url", account);
    }

    @Override
    public void stop() {
        // shared by the application starts of this JVM
    }
}
