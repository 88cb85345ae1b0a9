package dev.amocrmsync.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import dev.amocrmsync.simulator.Catalog;
import dev.amocrmsync.simulator.Faults;
import dev.amocrmsync.simulator.SimulatedAccount;
import dev.amocrmsync.simulator.SimulatorServer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A simulated amoCRM account on a local port: try the sync without an account, reproduce faults, benchmark. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Serve a simulated amoCRM account (API v4 leads, contacts, companies, tasks, notes, pipelines, loss reasons, tags, events) on a local port.")
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

    @Option(names = "--tasks", defaultValue = "5000", description = "Tasks on the leads, contacts and companies (some on nothing). Default ${DEFAULT-VALUE}.")
    int tasks;

    @Option(names = "--notes", defaultValue = "10000", description = "Notes of the leads, contacts and companies, calls among them. Default ${DEFAULT-VALUE}.")
    int notes;

    @Option(names = "--history", defaultValue = "365d", converter = DurationConverter.class, description = "Records were created and last updated within this time before now; the leads' moves through the funnel"
            + " are in the event log over it. Default ${DEFAULT-VALUE}.")
    Duration history;

    @Option(names = "--crowded-seconds", defaultValue = "2", description = "Seconds in which a robot stamped 400 leads at once (and, a second later each, 400 contacts, 300 tasks,"
            + " 300 lead notes, and 250 leads moved to one stage). Default ${DEFAULT-VALUE}.")
    int crowdedSeconds;

    @Option(names = "--no-loss-reasons", description = "Answer /api/v4/leads/loss_reasons with 404, as accounts older than the endpoint do.")
    boolean noLossReasons;

    @Option(names = "--latency", defaultValue = "0ms", converter = DurationConverter.class, description = "Delay before every answer. Default ${DEFAULT-VALUE}.")
    Duration latency;

    @Option(names = "--rate-limit", defaultValue = "0", description = "Requests inside any sliding second, counted at arrival, before 429s start; 0 for no limit."
            + " Default ${DEFAULT-VALUE}.")
    double rateLimit;

    @Option(names = "--rate-limit-answer", defaultValue = "HTML", description = "How a 429 looks: HTML (no Retry-After, as amoCRM), RETRY_AFTER_HEADER or RETRY_AFTER_JSON."
            + " Default ${DEFAULT-VALUE}.")
    Faults.Throttle rateLimitAnswer;

    @Option(names = "--edits-per-second", defaultValue = "0", description = "Changes per second of each kind while serving: leads, contacts and companies edited, leads moved,"
            + " tasks added, edited, completed or deleted, calls and notes. Default ${DEFAULT-VALUE}.")
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
        SimulatedAccount account = SimulatedAccount.withEntities(seed, leads, contacts, companies, tasks, notes, history,
                java.time.Clock.offset(java.time.Clock.systemUTC(), clockOffset));
        Catalog.Pipeline main = Catalog.PIPELINES.get(0);
        for (int i = 1; i <= crowdedSeconds; i++) {
            long second = account.now() - i * history.toSeconds() / (crowdedSeconds + 1);
            account.stampSecond(second, 400);
            account.stampContactSecond(second + 1, Math.min(400, contacts));
            account.tasks().stampSecond(second + 2, Math.min(300, tasks));
            account.notes().stampSecond("leads", second + 3, Math.min(300, notes / 2));
            account.moveRandomLeadsInOneSecond(250, main.id(), main.statuses().get(2).id(), second + 4);
        }
        account.catalogs().lossReasonsApi(!noLossReasons);
        account.faults().latency(latency).rateCeiling(rateLimit).rateCeilingAnswers(rateLimitAnswer, 1);
        SimulatorServer server = SimulatorServer.start(vertx, account, host, port).acceptOnly(token)
                .editsPerSecond(editsPerSecond);
        Log.infof("Simulated amoCRM account with %d leads, %d contacts, %d companies, %d tasks, %d notes and %d status"
                + " changes at %s (latency %d ms, %s, %s edits/s)", account.size(), contacts, companies,
                account.tasks().size(), account.notes().size(), account.statusChanges().size(), server.url(),
                latency.toMillis(),
                rateLimit > 0 ? rateLimit + " requests/s" : "no rate limit",
                editsPerSecond);
        Log.infof("Sync it with: AMOCRM_BASE_URL=%s AMOCRM_ACCESS_TOKEN=%s amocrm-sync", server.url(),
                token == null ? "anything" : "<the --token value>");
        Quarkus.waitForExit();
        server.close();
        return Exit.OK.code;
    }
}
