package dev.amocrmsync.sync;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.catalog.AccountCatalogs;
import dev.amocrmsync.catalog.FunnelCatalogs;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A run's closing, once its reading is committed: the deletions it can see ({@link DeletionSync}), what the mappings
 * learned (status names), and the account's catalogs read beside the scans. A dry run keeps none of it.
 */
@ApplicationScoped
class RunClosing {

    private final DeletionSync deletions;

    RunClosing(DeletionSync deletions) {
        this.deletions = deletions;
    }

    /** The catalogs a run reads beside its scans, when due, and stores at its close. */
    record Catalogs(AccountCatalogs.Ahead account, FunnelCatalogs.Ahead funnel) {

        /** Their requests leave at the run's first answer, filling the budget while the first page is mapped. */
        void start() {
            account.start();
            funnel.start();
        }

        Uni<Void> store() {
            return account.store().chain(funnel::store);
        }
    }

    Uni<Void> close(SyncRequest request, Sink sink, RunProgress progress, RunOpening.Opening opened, EventLogRead log,
            Catalogs catalogs) {
        return deletions.apply(request, sink, progress, log, opened.runs(), opened.upper())
                .chain(() -> sink.writes() ? Multi.createFrom().iterable(opened.runs())
                        .onItem().transformToUniAndConcatenate(run -> run.mapper().close())
                        .onItem().ignoreAsUni() : Uni.createFrom().voidItem())
                .chain(catalogs::store);
    }
}
