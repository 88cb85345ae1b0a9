package dev.amocrmsync.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import dev.amocrmsync.simulator.Faults;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A simulated amoCRM account on a local port: try the sync without an account, reproduce faults, benchmark. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Serve a simulated amoCRM account (API v4 leads, contacts, companies, pipelines, events) on a local port.")
class SimulateCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8089", description = "Port to listen on (0: any free). Default ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--leads", defaultValue = "5000", description = "Leads in the account. Default ${DEFAULT-VALUE}.")
    int leads;

    @Option(names = "--contacts", defaultValue = "7500", description = "Contacts in the account, linked to leads and companies. Default ${DEFAULT-VALUE}.")
    int contacts;

    @Option(names = "--companies", defaultValue = "1250", description = "Companies in the account. Default ${DEFAULT-VALUE}.")
    int companies;

    @Option(names = "--history", defaultValue = "365d", converter = DurationConverter.class, description = "Leads were last updated within this time before now. Default ${DEFAULT-VALUE}.")
    Duration history;

    @Option(names = "--crowded-seconds", defaultValue = "2", description = "Seconds in which a robot stamped 400 leads at once. Default ${DEFAULT-VALUE}.")
    int crowdedSeconds;

    @Option(names = "--latency", defaultValue = "0ms", converter = DurationConverter.class, description = "Delay before every answer. Default ${DEFAULT-VALUE}.")
    Duration latency;

    @Option(names = "--rate-limit", defaultValue = "0", description = "Requests inside any sliding second, counted at arrival, before 429s start; 0 for no limit."
            + " Default ${DEFAULT-VALUE}.")
    double rateLimit;

    @Option(names = "--rate-limit-answer", defaultValue = "HTML", description = "How a 429 looks: HTML (no Retry-After, as amoCRM), RETRY_AFTER_HEADER or RETRY_AFTER_JSON."
            + " Default ${DEFAULT-VALUE}.")
    Faults.Throttle rateLimitAnswer;

    @Option(names = "--edits-per-second", defaultValue = "0", description = "Random leads edited per second while serving, and as many contacts and companies. Default ${DEFAULT-VALUE}.")
    double editsPerSecond;

    @Option(names = "--token", description = "Accept only this bearer token (default: any).")
    String token;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data. Default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--clock-offset", defaultValue = "0s", converter = DurationConverter.class, description = "How far the account's clock is ahead of this machine's (-10m: behind), as amoCRM's is not"
            + " yours. Default ${DEFAULT-VALUE}.")
    Duration clockOffset;

    private final Vertx vertx;

    SimulateCommand(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Integer call() {
        SimulatedAccount account = SimulatedAccount.withEntities(seed, leads, contacts, companies, history,
                java.time.Clock.offset(java.time.Clock.systemUTC(), clockOffset));
        for (int i = 1; i <= crowdedSeconds; i++) {
            long second = account.now() - i * history.toSeconds() / (crowdedSeconds + 1);
            account.stampSecond(second, 400);
            account.stampContactSecond(second + 1, Math.min(400, contacts));
        }
        account.faults().latency(latency).rateCeiling(rateLimit).rateCeilingAnswers(rateLimitAnswer, 1);
        SimulatorServer server = SimulatorServer.start(vertx, account, host, port).acceptOnly(token)
                .editsPerSecond(editsPerSecond);
        Log.infof("Simulated amoCRM account with %d leads, %d contacts and %d companies at %s (latency %d ms, %s, %s edits/s)",
                account.size(), contacts, companies, server.url(), latency.toMillis(),
                rateLimit > 0 ? rateLimit + " requests/s" : "no rate limit",
                editsPerSecond);
        Log.infof("Sync it with: AMOCRM_BASE_URL=%s AMOCRM_ACCESS_TOKEN=%s amocrm-sync", server.url(),
                token == null ? "anything" : "<the --token value>");
        Quarkus.waitForExit();
        server.close();
        return Exit.OK.code;
    }
}
