package dev.amocrmsync.companies;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.scan.Entity;
import dev.amocrmsync.scan.RowMapper;
import dev.amocrmsync.store.CompanyRow;
import dev.amocrmsync.store.CompanyStore;
import dev.amocrmsync.store.MirrorTable;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Companies, mirrored into {@code amocrm_companies}; their deals and contacts link to them from their side. */
@ApplicationScoped
public class Companies implements Entity<CompanyRow> {

    private final CompanyStore store;
    private final CompanyMapper mapper;

    Companies(CompanyStore store, CompanyMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "companies";
    }

    @Override
    public String one() {
        return "company";
    }

    @Override
    public String with() {
        // deals and contacts list their company; its own lists link them back when it is restored (amoCRM hides a
        // deleted company from them without touching them)
        return "leads,contacts";
    }

    @Override
    public String table() {
        return "amocrm_companies";
    }

    @Override
    public Uni<RowMapper<CompanyRow>> openMapper() {
        // the CPU work leaves the event loop; the scanner comes back to the run's context after it
        return Uni.createFrom().item(items -> Uni.createFrom().item(() -> mapper.map(items))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    @Override
    public MirrorTable<CompanyRow> rows() {
        return store;
    }
}
