package dev.amocrmsync.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.amocrm.EntityPage;
import dev.amocrmsync.amocrm.EntityQuery;
import dev.amocrmsync.amocrm.MalformedResponse;
import dev.amocrmsync.mirror.Batch;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.Quarantined;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.WindowProgress;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Reads a plan of one entity from amoCRM as a stream of {@link Batch}es. A plan starts as one window, so its first
 * page is read alone: most incremental runs end there, in one request. When there is more, the {@link WindowPool}
 * splits the range into windows read in parallel, each with its own keyset cursor, as many at once as the
 * parallelism; the shared request budget keeps the total at the account's limit. Each window fetches one page ahead
 * of the writer, never more.
 */
public final class EntityScanner<R> {

    private final AmoCrmClient client;
    private final Entity<R> entity;
    private final ItemList list;
    private final RowMapper<R> mapper;
    private final int parallelism;
    private final Runnable beforeRequest;

    /**
     * @param beforeRequest runs before every request: the run's stop check, which throws once a stop is requested
     */
    public EntityScanner(AmoCrmClient client, Entity<R> entity, RowMapper<R> mapper, int parallelism,
            Runnable beforeRequest) {
        this.client = client;
        this.entity = entity;
        this.list = entity.list().orElseThrow(() -> new IllegalArgumentException(entity + " has no list to scan"));
        this.mapper = mapper;
        this.parallelism = parallelism;
        this.beforeRequest = beforeRequest;
    }

    /**
     * Pages are mapped after the windows are merged, one at a time in the order they arrived, so a window asks for its
     * next page as soon as an answer is taken: mapping the first page of a run may wait for a catalog request, and
     * the scan need not wait with it. Each window still has at most one answer waiting to be mapped.
     *
     * @param onAnswer called for every answer before it is mapped: the run starts its reads ahead there
     */
    public Multi<Batch<R>> scan(Plan plan, Runnable onAnswer) {
        WindowPool pool = new WindowPool(plan.windows(list.orderedByUpdatedAt()), parallelism, client.pageSize());
        return pool.windows()
                .onItem().transformToMulti(window -> Multi.createBy().repeating()
                        .uni(() -> fetchNext(window).invoke(answer -> pool.afterPage(window)))
                        .whilst(answer -> !window.done()))
                .withRequests(1)
                .merge(pool.parallelism())
                .onItem().invoke(onAnswer)
                // an answer already taken is mapped and handed on before a failure of another window surfaces, so
                // the pages read before the failure are committed
                .onItem().transformToUni(answer -> batch(answer.fresh(), answer.split())
                        .map(rows -> new Batch<>(answer.progress(), rows.rows(), rows.quarantined(), answer.fresh())))
                .collectFailures().concatenate();
    }

    /** A window's answer: the items not written yet, and the window's progress once they are. */
    private record Answer(WindowProgress progress, List<Keyed> fresh, Keyed.Split split) {
    }

    private Uni<Answer> fetchNext(WindowScan window) {
        return Uni.createFrom().deferred(() -> {
            beforeRequest.run();
            EntityQuery query = window.nextQuery(list.path(), list.with(), client.pageSize());
            return client.list(query).map(page -> answer(window, query, page));
        });
    }

    private Answer answer(WindowScan window, EntityQuery query, EntityPage page) {
        List<JsonNode> items = page.items(list.key());
        Keyed.Split split = Keyed.split(items);
        if (split.keyed().isEmpty() && items.size() >= client.pageSize()) {
            // the keyset moves by what the window reads: with nothing to move by, the window would end as if done
            // and skip whatever lies past this page. Unkeyed items beside keyed ones are set aside with the rest.
            throw new MalformedResponse("amoCRM answered a full page of " + items.size() + " " + list.key()
                    + " of which none has a numeric id and updated_at", null).forRequest(query.describe());
        }
        List<Keyed> fresh = window.accept(split.keyed(), items.size(), client.pageSize());
        return new Answer(window.progress(), fresh, split);
    }

    /**
     * The fallback for an account that ignores {@code filter[updated_at]}: newest first by page number, stopping at the
     * first item older than the plan. An edit while paging only repeats an item (it jumps to the top), so nothing of the
     * plan is skipped unless one is deleted mid-scan; the operator is told to run {@code --full} from time to time.
     */
    public Multi<Batch<R>> scanNewestFirst(Plan plan) {
        AtomicInteger page = new AtomicInteger();
        AtomicBoolean last = new AtomicBoolean();
        int limit = client.pageSize();
        return Multi.createBy().repeating().uni(() -> Uni.createFrom().deferred(() -> {
            beforeRequest.run();
            return client.list(EntityQuery.updatedBetween(list.path(), list.with(), plan.from(), plan.to(),
                    EntityQuery.Order.UPDATED_AT_DESC, page.incrementAndGet(), limit));
        }).chain(answer -> {
            List<JsonNode> items = answer.items(list.key());
            Keyed.Split split = Keyed.split(items);
            List<Keyed> inPlan = split.keyed().stream()
                    .filter(item -> item.updatedAt() >= plan.from() && item.updatedAt() <= plan.to()).toList();
            last.set(items.size() < limit || split.keyed().stream().anyMatch(item -> item.updatedAt() < plan.from()));
            return batch(inPlan, split).map(rows -> new Batch<>(null, rows.rows(), rows.quarantined(), inPlan));
        })).whilst(batch -> !last.get());
    }

    /** Items fetched by id (restored ones, webhook changes), as one batch. */
    public Uni<Batch<R>> byIds(List<Long> ids) {
        return listed(ids).chain(page -> {
            Keyed.Split split = Keyed.split(page.items(list.key()));
            return batch(split.keyed(), split).map(rows -> new Batch<>(null, rows.rows(), rows.quarantined(),
                    split.keyed()));
        });
    }

    /** The ids of these that amoCRM lists (alive), without mapping them. */
    public Uni<List<Long>> listedIds(List<Long> ids) {
        return listed(ids).map(page -> Keyed.split(page.items(list.key())).keyed().stream().map(Keyed::id)
                .toList());
    }

    private Uni<EntityPage> listed(List<Long> ids) {
        return Uni.createFrom().deferred(() -> {
            beforeRequest.run();
            return client.list(EntityQuery.byIds(list.path(), list.with(), ids));
        });
    }

    /**
     * Mapping may run on a worker thread (the mappers move their CPU work off the event loop, which also parses every
     * answer and serializes every commit); what follows it runs back on the caller's context, where the run's
     * reactive session lives.
     */
    private Uni<RowMapper.Mapped<R>> batch(List<Keyed> fresh, Keyed.Split split) {
        Context caller = Vertx.currentContext();
        Uni<RowMapper.Mapped<R>> mapping = mapper.map(fresh);
        if (caller != null) {
            mapping = mapping.emitOn(command -> caller.runOnContext(ignored -> command.run()));
        }
        return mapping.map(mapped -> {
            if (split.unkeyed().isEmpty()) {
                return mapped;
            }
            List<Quarantined> quarantined = new ArrayList<>(unkeyed(split.unkeyed()));
            quarantined.addAll(mapped.quarantined());
            return new RowMapper.Mapped<>(mapped.rows(), quarantined);
        });
    }

    /** Items without an id or updated_at, which no row can hold. */
    private List<Quarantined> unkeyed(List<JsonNode> items) {
        return items.stream().map(raw -> new Quarantined(raw.path("id").isValueNode() ? raw.path("id").asText() : null,
                "the " + entity.one() + " has no numeric id and updated_at", raw)).toList();
    }
}
