package dev.amocrmsync.contacts;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.scan.Entity;
import dev.amocrmsync.scan.RowMapper;
import dev.amocrmsync.store.ContactRow;
import dev.amocrmsync.store.ContactStore;
import dev.amocrmsync.store.MirrorTable;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Contacts, mirrored into {@code amocrm_contacts} with their company; their deals are kept by the deals' side. */
@ApplicationScoped
public class Contacts implements Entity<ContactRow> {

    private final ContactStore store;
    private final ContactMapper mapper;

    Contacts(ContactStore store, ContactMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "contacts";
    }

    @Override
    public String one() {
        return "contact";
    }

    @Override
    public String with() {
        // a contact lists its company by default; its deals, to link them back when it is restored (amoCRM hides a
        // deleted contact from its deals without touching them)
        return "leads";
    }

    @Override
    public String table() {
        return "amocrm_contacts";
    }

    @Override
    public Uni<RowMapper<ContactRow>> openMapper() {
        // the CPU work leaves the event loop; the scanner comes back to the run's context after it
        return Uni.createFrom().item(items -> Uni.createFrom().item(() -> mapper.map(items))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    @Override
    public MirrorTable<ContactRow> rows() {
        return store;
    }
}
