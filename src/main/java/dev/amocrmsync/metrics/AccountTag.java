package dev.amocrmsync.metrics;

import java.net.URI;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The {@code account} label on every figure: several accounts' syncs (one schema each) report to one Prometheus and one
 * Pushgateway, and an alert must name the account it is about.
 */
@Singleton
public class AccountTag {

    /** When the settings name no account yet (the process fails on them, and says so): a label all the same. */
    static final String UNKNOWN = "unknown";

    private final String account;

    AccountTag(MetricsConfig metrics, AmoCrmConfig amoCrm) {
        this.account = metrics.account().filter(name -> !name.isBlank()).orElseGet(() -> host(amoCrm));
    }

    public String account() {
        return account;
    }

    @Produces
    @Singleton
    MeterFilter accountOnEveryMeter() {
        return MeterFilter.commonTags(java.util.List.of(Tag.of("account", account)));
    }

    private static String host(AmoCrmConfig amoCrm) {
        if (!AccountUrl.problems(amoCrm).isEmpty()) {
            return UNKNOWN;
        }
        URI key = URI.create(AccountUrl.key(amoCrm));
        return key.getPort() == -1 ? key.getHost() : key.getHost() + ":" + key.getPort();
    }
}
