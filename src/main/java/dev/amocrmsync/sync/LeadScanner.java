package dev.amocrmsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.LeadQuery;
import dev.amocrmsync.store.Quarantined;
import dev.amocrmsync.store.WindowProgress;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Reads a plan's leads from amoCRM as a stream of {@link Batch}es. A plan starts as one window, so its first page is
 * read alone: most incremental runs end there, in one request. When there is more, the {@link WindowPool} splits the
 * range into windows read in parallel, each with its own keyset cursor, as many at once as
 * {@code amocrm.sync.parallelism}; the shared request budget keeps the total at the account's limit. Each window
 * fetches one page ahead of the writer, never more.
 */
@ApplicationScoped
class LeadScanner {

    private final AmoCrmClient client;
    private final LeadMapper mapper;
    private final SyncConfig config;
    private final RunControl control;

    LeadScanner(AmoCrmClient client, LeadMapper mapper, SyncConfig config, RunControl control) {
        this.client = client;
        this.mapper = mapper;
        this.config = config;
        this.control = control;
    }

    /**
     * Pages are mapped after the windows are merged, one at a time in the order they arrived, so a window asks for its
     * next page as soon as an answer is taken: mapping the first page of a run waits for the pipelines request, and
     * the scan need not wait with it. Each window still has at most one answer waiting to be mapped.
     *
     * @param onAnswer called for every answer before it is mapped: the run starts its reads ahead there
     */
    Multi<Batch> scan(Plan plan, StatusCatalog catalog, Runnable onAnswer) {
        WindowPool pool = new WindowPool(plan.windows(), config.parallelism(), client.pageSize());
        return pool.windows()
                .onItem().transformToMulti(window -> Multi.createBy().repeating()
                        .uni(() -> fetchNext(window).invoke(answer -> pool.afterPage(window)))
                        .whilst(answer -> !window.done()))
                .withRequests(1)
                .merge(pool.parallelism())
                .onItem().invoke(onAnswer)
                .onItem().transformToUniAndConcatenate(answer -> batch(answer.fresh(), answer.split(), catalog)
                        .map(rows -> new Batch(answer.progress(), rows.rows(), rows.quarantined())));
    }

    /** A window's answer: the leads not written yet, and the window's progress once they are. */
    private record Answer(WindowProgress progress, List<KeyedLead> fresh, KeyedLead.Split split) {
    }

    private Uni<Answer> fetchNext(WindowScan window) {
        return Uni.createFrom().deferred(() -> {
            control.checkNotStopping();
            return client.leads(window.nextQuery(client.pageSize()));
        }).map(page -> {
            KeyedLead.Split split = KeyedLead.split(page.leads());
            List<KeyedLead> fresh = window.accept(split.keyed(), page.leads().size(), client.pageSize());
            return new Answer(window.progress(), fresh, split);
        });
    }

    /**
     * The fallback for an account that ignores {@code filter[updated_at]}: newest first by page number, stopping at the
     * first lead older than the plan. An edit while paging only repeats a lead (it jumps to the top), so nothing of the
     * plan is skipped unless a lead is deleted mid-scan; the operator is told to run {@code --full} from time to time.
     */
    Multi<Batch> scanNewestFirst(Plan plan, StatusCatalog catalog) {
        AtomicInteger page = new AtomicInteger();
        AtomicBoolean last = new AtomicBoolean();
        int limit = client.pageSize();
        return Multi.createBy().repeating().uni(() -> Uni.createFrom().deferred(() -> {
            control.checkNotStopping();
            return client.leads(LeadQuery.updatedBetween(plan.from(), plan.to(), LeadQuery.Order.UPDATED_AT_DESC,
                    page.incrementAndGet(), limit));
        }).chain(answer -> {
            KeyedLead.Split split = KeyedLead.split(answer.leads());
            List<KeyedLead> inPlan = split.keyed().stream()
                    .filter(lead -> lead.updatedAt() >= plan.from() && lead.updatedAt() <= plan.to()).toList();
            last.set(answer.leads().size() < limit
                    || split.keyed().stream().anyMatch(lead -> lead.updatedAt() < plan.from()));
            return batch(inPlan, split, catalog).map(rows -> new Batch(null, rows.rows(), rows.quarantined()));
        })).whilst(batch -> !last.get());
    }

    /** Leads fetched by id (restored ones, webhook changes), as one batch. */
    Uni<Batch> byIds(List<Long> ids, StatusCatalog catalog) {
        return Uni.createFrom().deferred(() -> {
            control.checkNotStopping();
            return client.leads(LeadQuery.byIds(ids));
        }).chain(page -> {
            KeyedLead.Split split = KeyedLead.split(page.leads());
            return batch(split.keyed(), split, catalog).map(rows -> new Batch(null, rows.rows(), rows.quarantined()));
        });
    }

    private Uni<LeadMapper.Mapped> batch(List<KeyedLead> fresh, KeyedLead.Split split, StatusCatalog catalog) {
        return catalog.covering(fresh).map(known -> {
            LeadMapper.Mapped mapped = mapper.map(fresh, known);
            if (split.unkeyed().isEmpty()) {
                return mapped;
            }
            List<Quarantined> quarantined = new ArrayList<>(LeadMapper.unkeyed(split.unkeyed()));
            quarantined.addAll(mapped.quarantined());
            return new LeadMapper.Mapped(mapped.rows(), quarantined);
        });
    }
}
