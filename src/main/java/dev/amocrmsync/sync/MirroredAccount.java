package dev.amocrmsync.sync;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.Account;
import dev.amocrmsync.amocrm.AccountUrl;
import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.auth.ActiveAccess;
import dev.amocrmsync.config.InvalidSettingsException;
import io.smallrye.mutiny.Uni;

/**
 * A schema mirrors one account, recorded by its first run (by amoCRM's account id, else its URL): a run reaching
 * another account (a changed subdomain, a second account pointed at the same schema) is refused before it writes,
 * never mixed into the same tables. The webhook applier is held to the same account, and so are deliveries.
 */
@ApplicationScoped
public class MirroredAccount {

    private final AccountRecord accounts;
    private final AmoCrmConfig amoCrm;
    private final ActiveAccess access;
    private final AmoCrmClient client;
    // a schema's account, once recorded, never changes: read once it is
    private volatile AccountRecord.Mirrored recorded;
    // the account this process's access reaches: asked once
    private volatile Account reached;

    MirroredAccount(AccountRecord accounts, AmoCrmConfig amoCrm, ActiveAccess access, AmoCrmClient client) {
        this.accounts = accounts;
        this.amoCrm = amoCrm;
        this.access = access;
        this.client = client;
    }

    /** The account this schema mirrors, when a run (or the webhook applier) has recorded it. */
    public Uni<Optional<AccountRecord.Mirrored>> recorded() {
        AccountRecord.Mirrored known = recorded;
        return known != null ? Uni.createFrom().item(Optional.of(known))
                : accounts.read().invoke(read -> read.ifPresent(mirrored -> recorded = mirrored));
    }

    /**
     * The account this process's access reaches (asked once, with access active), confirmed to be the one this schema
     * mirrors, or recorded as it when nothing is yet: fails as a run would when it is another.
     */
    public Uni<Account> confirmedReached() {
        Account known = reached;
        Uni<Account> asking = known != null ? Uni.createFrom().item(known)
                : client.account().invoke(account -> reached = account);
        return asking.call(account -> confirm(account, true));
    }

    /** Fails when the schema mirrors another account than {@code reached}; records it first when {@code record}. */
    Uni<Void> confirm(Account reached, boolean record) {
        String url = url();
        return accounts.recordOnce(url, reached.id(), reached.subdomain(), record)
                .invoke(read -> read.ifPresent(mirrored -> this.recorded = mirrored))
                .invoke(recorded -> recorded
                        .filter(mirrored -> mirrored.accountId() != null && reached.id() != null
                                ? !mirrored.accountId().equals(reached.id())
                                : !mirrored.accountUrl().equalsIgnoreCase(url))
                        .ifPresent(other -> {
                            throw new InvalidSettingsException("Schema " + other.schema()
                                    + " holds the mirror of amoCRM account "
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
