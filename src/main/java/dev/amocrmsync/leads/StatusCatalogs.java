package dev.amocrmsync.leads;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import io.smallrye.mutiny.Uni;

/** Opens a {@link StatusCatalog} from the database cache, and stores what it read from amoCRM. */
@ApplicationScoped
class StatusCatalogs {

    private final AmoCrmClient client;
    private final StatusLabelStore labels;
    private final LeadsConfig config;
    private final Clock clock;

    StatusCatalogs(AmoCrmClient client, StatusLabelStore labels, LeadsConfig config, Clock clock) {
        this.client = client;
        this.labels = labels;
        this.config = config;
        this.clock = clock;
    }

    Uni<StatusCatalog> open() {
        return labels.load().map(cached -> new StatusCatalog(client, cached.labels(), cached.refreshedAt() == null
                || clock.instant().getEpochSecond() - cached.refreshedAt() > config.pipelinesMaxAge().toSeconds()));
    }

    /** Names read from amoCRM are cached, and deals whose status was renamed get the new label. */
    Uni<Void> save(StatusCatalog catalog) {
        if (catalog.readThisRun().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return labels.save(catalog.readThisRun());
    }
}
