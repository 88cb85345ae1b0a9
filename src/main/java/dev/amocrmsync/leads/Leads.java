package dev.amocrmsync.leads;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.scan.Entity;
import dev.amocrmsync.scan.Keyed;
import dev.amocrmsync.scan.RowMapper;
import dev.amocrmsync.store.DealRow;
import dev.amocrmsync.store.DealStore;
import dev.amocrmsync.store.MirrorTable;
import dev.amocrmsync.store.StatusLabel;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Leads, mirrored into {@code amocrm_deals} with their contacts and company ({@code with=contacts}). A run's mapping
 * labels each deal with its pipeline and status names, read from amoCRM at most once a run.
 */
@ApplicationScoped
public class Leads implements Entity<DealRow> {

    private final DealStore deals;
    private final LeadMapper mapper;
    private final StatusCatalogs catalogs;

    Leads(DealStore deals, LeadMapper mapper, StatusCatalogs catalogs) {
        this.deals = deals;
        this.mapper = mapper;
        this.catalogs = catalogs;
    }

    @Override
    public String name() {
        return "leads";
    }

    @Override
    public String one() {
        return "lead";
    }

    @Override
    public String with() {
        return "contacts";
    }

    @Override
    public String table() {
        return "amocrm_deals";
    }

    @Override
    public Uni<RowMapper<DealRow>> openMapper() {
        return catalogs.open().map(catalog -> new RowMapper<DealRow>() {
            @Override
            public Uni<Mapped<DealRow>> map(List<Keyed> items) {
                // the CPU work leaves the event loop; the scanner comes back to the run's context after it
                return catalog.covering(items).emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(known -> mapper.map(items, known));
            }

            @Override
            public Uni<Void> close() {
                return catalogs.save(catalog);
            }
        });
    }

    /** A mapping that knows these labels and never asks amoCRM (the store benchmark's synthetic pages). */
    public RowMapper<DealRow> mapperKnowing(List<StatusLabel> labels) {
        StatusCatalog catalog = new StatusCatalog(null, labels, false);
        return items -> Uni.createFrom().item(mapper.map(items, catalog));
    }

    @Override
    public MirrorTable<DealRow> rows() {
        return deals;
    }
}
