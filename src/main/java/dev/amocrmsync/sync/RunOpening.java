package dev.amocrmsync.sync;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.amocrmsync.amocrm.Account;
import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.MirrorTables;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.Table;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A run's opening: what it reads. amoCRM is asked who it is first (a refused token or a blocked account costs that one
 * request, and the answer's {@code Date} is amoCRM's clock, which bounds the run), while each entity's saved state,
 * what its table holds and its mapping are read; the account is confirmed as the one this schema mirrors; then each
 * entity's plans are decided up to amoCRM's present.
 */
@ApplicationScoped
class RunOpening {

    private final AmoCrmClient client;
    private final SyncStateStore state;
    private final MirrorTables tables;
    private final MirroredEntities mirrored;
    private final MirroredAccount account;
    private final QuarantineStore quarantine;
    private final SyncConfig config;
    private final Clock clock;

    RunOpening(AmoCrmClient client, SyncStateStore state, MirrorTables tables, MirroredEntities mirrored,
            MirroredAccount account, QuarantineStore quarantine, SyncConfig config, Clock clock) {
        this.quarantine = quarantine;
        this.client = client;
        this.state = state;
        this.tables = tables;
        this.mirrored = mirrored;
        this.account = account;
        this.config = config;
        this.clock = clock;
    }

    /**
     * What a run starts from: each entity's decision and mapping, the upper bound (amoCRM's second before now), and
     * the ids each entity has open in the quarantine.
     */
    record Opening(List<EntityRun<?>> runs, long upper, Map<String, List<String>> quarantined) {

        /** The entities this run mirrors: whose custom fields the catalogs keep. */
        List<Entity<?>> entities() {
            return runs.stream().<Entity<?>> map(EntityRun::entity).toList();
        }

        /** The earliest second the run reads, and the latest, for {@code sync_runs}. */
        long from() {
            return runs.stream().mapToLong(run -> run.decision().plans().isEmpty() ? run.decision().eventsFrom()
                    : run.decision().plans().get(0).from()).min().orElse(upper);
        }

        long to() {
            return runs.stream().mapToLong(run -> run.decision().plans().isEmpty() ? run.decision().eventsFrom()
                    : run.decision().plans().get(run.decision().plans().size() - 1).to()).max().orElse(upper);
        }
    }

    /** {@code asked} is the account request, already sent: its answer is awaited here. */
    Uni<Opening> open(SyncRequest request, Sink sink, Uni<Account> asked) {
        Uni<List<Saved<?>>> saved = Panache.withSession(() -> Multi.createFrom().iterable(mirrored.entities())
                .onItem().transformToUniAndConcatenate(this::saved)
                .collect().asList());
        return Uni.combine().all().unis(asked, saved).asTuple()
                .call(both -> account.confirm(both.getItem1(), sink.writes()))
                .map(both -> {
                    // the current second is left to the next run: items edited in it after our reads would be missed
                    long upper = amoCrmSecond() - 1;
                    return new Opening(both.getItem2().stream()
                            .<EntityRun<?>> map(entity -> entity.decide(request, upper, config)).toList(), upper,
                            both.getItem2().stream().collect(Collectors.toMap(entity -> entity.entity().name(),
                                    Saved::quarantined)));
                });
    }

    /** What the last runs left of one entity (its items still set aside too), and the mapping to read it with. */
    private record Saved<R>(Entity<R> entity, SyncState state, Table.Held held, RowMapper<R> mapper,
            List<String> quarantined) {

        EntityRun<R> decide(SyncRequest request, long upper, SyncConfig config) {
            // an event-log entity is read newest first: its newest row says nothing of what is complete
            Table.Held usable = entity.events().isPresent() ? new Table.Held(java.util.Optional.empty(), held.rows())
                    : held;
            return new EntityRun<>(entity, mapper,
                    Planner.decide(request, state, usable.newest(), usable.rows(), upper, config));
        }
    }

    private <R> Uni<Saved<?>> saved(Entity<R> entity) {
        return state.load(entity.name()).chain(saved -> tables.held(entity.table())
                .chain(held -> quarantine.open(entity.name())
                        .chain(quarantined -> entity.openMapper()
                                .map(mapper -> new Saved<>(entity, saved, held, mapper, quarantined)))));
    }

    /** amoCRM's current second. Without a {@code Date} header (a proxy that strips it) the host's, said loudly. */
    private long amoCrmSecond() {
        return client.clock().now().orElseGet(() -> {
            Log.warn("amoCRM's answer carried no Date header: bounding this run by this machine's clock. Keep it"
                    + " synchronised (NTP), or items edited near the end of the run may be read only by a --full sync");
            return clock.instant();
        }).getEpochSecond();
    }
}
