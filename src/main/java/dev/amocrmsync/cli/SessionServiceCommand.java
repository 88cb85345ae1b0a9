package dev.amocrmsync.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.session.AmoCrmSession;
import dev.amocrmsync.session.SessionConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/** The login/password mode's browser-session service, compatible with the original Node service on port 3002. */
@Command(name = "session-service", mixinStandardHelpOptions = true, description = "Log in to amoCRM with AMOCRM_EMAIL / AMOCRM_PASSWORD in a headless Chromium and lend the"
        + " session over HTTP (AMOCRM_PLAYWRIGHT_PORT, 3002 by default, on 127.0.0.1).")
class SessionServiceCommand implements Callable<Integer> {

    private final AmoCrmSession session;
    private final SessionConfig config;
    private final AmoCrmConfig amoCrm;
    private final Launcher launcher;

    SessionServiceCommand(AmoCrmSession session, SessionConfig config, AmoCrmConfig amoCrm, Launcher launcher) {
        this.session = session;
        this.config = config;
        this.amoCrm = amoCrm;
        this.launcher = launcher;
    }

    @Override
    public Integer call() {
        try {
            List<String> problems = new ArrayList<>(AccountUrl.problems(amoCrm));
            if (config.email().filter(e -> !e.isBlank()).isEmpty() || config.password().filter(p -> !p.isBlank()).isEmpty()) {
                problems.add("Set AMOCRM_EMAIL and AMOCRM_PASSWORD: the account user the service logs in as");
            }
            boolean loopback = config.host().equals("127.0.0.1") || config.host().equals("localhost")
                    || config.host().equals("::1");
            if (!loopback && config.secret().filter(s -> !s.isBlank()).isEmpty()) {
                problems.add("The service binds " + config.host() + ", beyond this machine: set AMOCRM_SESSION_SECRET,"
                        + " and the same value for the sync, so only they can use the session");
            }
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
            session.start();
        } catch (RuntimeException e) {
            return launcher.failed(e);
        }
        Log.infof("Session service for %s ready on %s:%d (health: /health)", session.status().account(), config.host(),
                config.port());
        Quarkus.waitForExit();
        return Exit.OK.code;
    }
}
