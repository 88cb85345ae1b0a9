package dev.amocrmsync.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A progress line after every page ({@code amocrm.sync.progress-every=0}), so a short run shows the lines a long one logs. */
public class ProgressEveryPage implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("amocrm.sync.progress-every", "0s");
    }

    @Override
    public void stop() {
        // nothing started
    }
}
