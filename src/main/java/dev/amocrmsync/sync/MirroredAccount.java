package dev.amocrmsync.sync;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.Account;
import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.store.AccountRecord;
import io.smallrye.mutiny.Uni;

/**
 * A schema mirrors one account, recorded by its first run (by amoCRM's account id, else its URL): a run reaching
 * another account (a changed subdomain, a second account pointed at the same schema) is refused before it writes,
 * never mixed into the same tables.
 */
@ApplicationScoped
class MirroredAccount {

    private final AccountRecord accounts;
    private final AmoCrmConfig amoCrm;
    private final ActiveAccess access;

    MirroredAccount(AccountRecord accounts, AmoCrmConfig amoCrm, ActiveAccess access) {
        this.accounts = accounts;
        this.amoCrm = amoCrm;
        this.access = access;
    }

    /** Fails when the schema mirrors another account than {@code reached}; records it first when {@code record}. */
    Uni<Void> confirm(Account reached, boolean record) {
        String url = url();
        return accounts.recordOnce(url, reached.id(), reached.subdomain(), record).invoke(recorded -> recorded
                .filter(mirrored -> mirrored.accountId() != null && reached.id() != null
                        ? !mirrored.accountId().equals(reached.id())
                        : !mirrored.accountUrl().equalsIgnoreCase(url))
                .ifPresent(other -> {
                    throw new InvalidSettingsException("Schema " + other.schema() + " holds the mirror of amoCRM account "
                            + other.accountUrl() + (other.accountId() == null ? "" : " (id " + other.accountId() + ")")
                            + ", not of " + url + (reached.id() == null ? "" : " (id " + reached.id() + ")")
                            + ": give this account a schema of its own (AMOCRM_DB_SCHEMA), or point the settings back"
                            + " at that account");
                }))
                .replaceWithVoid();
    }

    /** The configured account URL; in the session mode without a subdomain, the session service's. */
    private String url() {
        return AccountUrl.problems(amoCrm).isEmpty() ? AccountUrl.of(amoCrm).toString() : access.baseUri().toString();
    }
}
