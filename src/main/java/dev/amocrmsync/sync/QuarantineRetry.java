package dev.amocrmsync.sync;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.Quarantined;
import dev.amocrmsync.scan.EntityScanner;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The items {@code sync_quarantine} holds open are read again by id ({@code filter[id][]}, 50 a request) once their
 * entity's scan is done, by every run that writes: a value fixed in amoCRM, or a release that maps or stores it now,
 * brings an item into its table and out of the quarantine. One that amoCRM no longer lists (deleted there) leaves the
 * quarantine too; one refused again stays open, counted in the run (exit 3), until it stores or an operator deletes
 * its row. Items the scan met again were stored or set aside by their page already and are not asked for twice.
 */
@ApplicationScoped
class QuarantineRetry {

    private final AmoCrmClient client;
    private final RunControl control;

    QuarantineRetry(AmoCrmClient client, RunControl control) {
        this.client = client;
        this.control = control;
    }

    /**
     * What is still open when the entity's scan is done, read in chunks: each chunk's items to commit as a page, then
     * the ids amoCRM did not list closed.
     */
    <R> Multi<Write> commits(Sink sink, RunProgress run, EntityRun<R> entity) {
        return Multi.createFrom().deferred(() -> {
            List<Long> open = run.stillQuarantined(entity.name());
            if (open.isEmpty()) {
                return Multi.createFrom().empty();
            }
            Log.infof("Reading again %d %s set aside by earlier runs (sync_quarantine)", open.size(), entity.name());
            EntityScanner<R> scanner = entity.scanner(client, 1, control::checkNotStopping);
            return Multi.createFrom().iterable(ChangedEntities.chunks(open))
                    .onItem().transformToUniAndConcatenate(ids -> scanner.byIds(ids)
                            .map(batch -> (Write) () -> commit(sink, entity, ids, batch)));
        });
    }

    private <R> Uni<Void> commit(Sink sink, EntityRun<R> entity, List<Long> asked, Batch<R> batch) {
        Set<String> listed = new HashSet<>();
        batch.received().stream().map(Keyed::id).map(String::valueOf).forEach(listed::add);
        batch.quarantined().stream().map(Quarantined::amocrmId).forEach(listed::add);
        List<String> gone = asked.stream().map(String::valueOf).filter(id -> !listed.contains(id)).toList();
        return sink.page(entity, batch, false)
                .call(write -> sink.notListed(entity, gone).invoke(() -> {
                    if (!gone.isEmpty()) {
                        Log.infof("%d %s set aside earlier are no longer listed by amoCRM (deleted there): they left"
                                + " the quarantine", gone.size(), entity.name());
                    }
                }))
                .replaceWithVoid();
    }
}
