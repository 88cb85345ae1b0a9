package dev.amocrmsync.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A stateful amoCRM account: leads, their edits, deletions and restorations, and the event log, answering queries
 * with the documented API semantics. Leads sharing one {@code updated_at} second come back in a different order on
 * every request, as a database's {@code ORDER BY ... LIMIT} may return them, so a client that relies on a stable tie
 * order is caught by the tests.
 */
public final class SimulatedAccount {

    private final Clock clock;
    private final LeadGenerator generator;
    private final Random tieOrder;
    private final TreeMap<Long, SimLead> live = new TreeMap<>();
    private final TreeMap<Long, SimLead> deleted = new TreeMap<>();
    private final TreeMap<Long, Set<Long>> bySecond = new TreeMap<>();
    private final List<SimEvent> events = new ArrayList<>();
    private final Map<Long, String> verbatim = new java.util.HashMap<>();
    private final List<Consumer<LeadsRequest>> leadsListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> eventsListeners = new CopyOnWriteArrayList<>();
    private final Faults faults = new Faults();
    private final SimCatalogs catalogs = new SimCatalogs();
    private long eventSequence;
    private volatile long accountId = Catalog.ACCOUNT_ID;

    public SimulatedAccount(long seed) {
        this(seed, Clock.systemUTC());
    }

    public SimulatedAccount(long seed, Clock clock) {
        this.clock = clock;
        this.generator = new LeadGenerator(seed, 30_000_001L);
        this.tieOrder = new Random(seed ^ 0x5DEECE66DL);
    }

    /** A ready account with {@code count} leads last updated within {@code history} before now. */
    public static SimulatedAccount withLeads(long seed, int count, Duration history) {
        return withLeads(seed, count, history, Clock.systemUTC());
    }

    /** The same, on a clock of its own: amoCRM's clock is not the host's. */
    public static SimulatedAccount withLeads(long seed, int count, Duration history, Clock clock) {
        SimulatedAccount account = new SimulatedAccount(seed, clock);
        account.addLeads(count, history);
        return account;
    }

    /** The users and custom-field catalogs, for tests to change. */
    public SimCatalogs catalogs() {
        return catalogs;
    }

    public Faults faults() {
        return faults;
    }

    /** amoCRM's id of the account, as {@code GET /api/v4/account} answers it. */
    public long accountId() {
        return accountId;
    }

    /** Another account: tests of several accounts tell them apart by this id. */
    public SimulatedAccount accountId(long id) {
        this.accountId = id;
        return this;
    }

    public long now() {
        return clock.instant().getEpochSecond();
    }

    /** The account's time as an HTTP {@code Date} header: amoCRM's clock, which need not be the caller's. */
    public String httpDate() {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
    }

    // ---- changes, as salespeople and robots make them

    /** Adds leads created and last updated at random seconds within {@code history}, more of them recently. */
    public synchronized List<SimLead> addLeads(int count, Duration history) {
        long now = now();
        long span = Math.max(1, history.toSeconds());
        List<SimLead> added = new ArrayList<>(count);
        Random random = generator.random();
        for (int i = 0; i < count; i++) {
            long createdAt = now - 1 - (long) (span * random.nextDouble());
            double recency = random.nextDouble();
            long updatedAt = now - 1 - (long) ((now - 1 - createdAt) * recency * recency);
            added.add(put(generator.lead(createdAt, updatedAt)));
        }
        return added;
    }

    /** Adds one lead updated at {@code updatedAt}. */
    public synchronized SimLead addLead(long updatedAt) {
        return put(generator.lead(updatedAt - 3_600, updatedAt));
    }

    /**
     * Adds a lead that the API answers with exactly this JSON object (odd types, missing fields, no id at all): how a
     * test shows that one strange lead is quarantined and never spoils its page. Paging uses {@code id} and
     * {@code updatedAt} given here.
     */
    public synchronized void addVerbatim(long id, long updatedAt, String json) {
        SimLead placeholder = generator.lead(updatedAt - 60, updatedAt);
        put(new SimLead(id, placeholder.name(), placeholder.price(), placeholder.responsibleUserId(),
                placeholder.statusId(), placeholder.pipelineId(), null, 0, 0, updatedAt - 60, updatedAt, null, null,
                null, List.of(), null, List.of()));
        verbatim.put(id, json);
    }

    /** The JSON a lead is answered with verbatim, or null when it is rendered normally. */
    synchronized String verbatim(long id) {
        return verbatim.get(id);
    }

    /** A salesperson edits the lead now: it moves to the end of an {@code updated_at}-ordered list. */
    public synchronized SimLead edit(long id) {
        SimLead lead = require(id);
        return put(generator.edit(lead, now()));
    }

    /** Edits {@code count} random live leads now and returns their ids. */
    public synchronized List<Long> editRandom(int count) {
        List<Long> ids = new ArrayList<>(live.keySet());
        Collections.shuffle(ids, generator.random());
        List<Long> edited = ids.subList(0, Math.min(count, ids.size()));
        edited.forEach(this::edit);
        return List.copyOf(edited);
    }

    /** A robot's bulk edit: {@code count} leads (new ones when there are too few) all stamped with one second. */
    public synchronized List<Long> stampSecond(long second, int count) {
        List<Long> ids = new ArrayList<>(live.keySet());
        Collections.shuffle(ids, generator.random());
        List<Long> stamped = new ArrayList<>(ids.subList(0, Math.min(count, ids.size())));
        stamped.forEach(id -> put(live.get(id).stampedAt(second)));
        while (stamped.size() < count) {
            stamped.add(put(generator.lead(second - 60, second)).id());
        }
        return stamped;
    }

    /** Replaces the lead's custom fields with this raw JSON (or {@code null}) and stamps it now. */
    public synchronized SimLead setCustomFields(long id, String customFieldsJson) {
        return put(require(id).withCustomFields(customFieldsJson).stampedAt(now()));
    }

    /** Renames the lead and stamps it now. */
    public synchronized SimLead rename(long id, String name) {
        return put(require(id).withName(name).stampedAt(now()));
    }

    /** Deletes the lead into the restorable bin and logs {@code lead_deleted}. */
    public synchronized void delete(long id) {
        delete(id, now());
    }

    /** Brings a deleted lead back into the normal lists (its {@code updated_at} unchanged) and logs {@code lead_restored}. */
    public synchronized void restore(long id) {
        restore(id, now());
    }

    /**
     * A bulk delete: every lead moves to the bin and its {@code lead_deleted} event is stamped with the same
     * {@code second}, as when a manager deletes a selection of leads at once.
     */
    public synchronized void deleteAll(Collection<Long> ids, long second) {
        ids.forEach(id -> delete(id, second));
    }

    /** A bulk restore: every lead leaves the bin, its {@code lead_restored} event stamped with {@code second}. */
    public synchronized void restoreAll(Collection<Long> ids, long second) {
        ids.forEach(id -> restore(id, second));
    }

    private void delete(long id, long second) {
        SimLead lead = require(id);
        unindex(lead);
        live.remove(id);
        deleted.put(id, lead);
        log("lead_deleted", id, second);
    }

    private void restore(long id, long second) {
        SimLead lead = deleted.remove(id);
        if (lead == null) {
            throw new IllegalArgumentException("lead " + id + " is not in the bin");
        }
        put(lead);
        log("lead_restored", id, second);
    }

    /** Runs before every leads request is answered: the way tests edit the account while a sync pages through it. */
    public void onLeadsRequest(Consumer<LeadsRequest> listener) {
        leadsListeners.add(listener);
    }

    /** Runs before every events request is answered: the way tests delete leads while a sync pages the event log. */
    public void onEventsRequest(Runnable listener) {
        eventsListeners.add(listener);
    }

    public void clearListeners() {
        leadsListeners.clear();
        eventsListeners.clear();
    }

    // ---- what tests compare the database with

    public synchronized Map<Long, SimLead> liveLeads() {
        return new LinkedHashMap<>(live);
    }

    public synchronized Map<Long, SimLead> deletedLeads() {
        return new LinkedHashMap<>(deleted);
    }

    public synchronized SimLead lead(long id) {
        return live.get(id);
    }

    public synchronized int size() {
        return live.size();
    }

    // ---- the API

    synchronized LeadsAnswer leads(LeadsRequest request) {
        int limit = request.limit() <= 0 || request.limit() > 250 ? 50 : request.limit();
        int page = Math.max(1, request.page());
        Stream<SimLead> matching;
        if (request.onlyDeleted()) {
            matching = deleted.values().stream();
        } else if (request.ids() != null && !request.ids().isEmpty()) {
            matching = request.ids().stream().distinct().map(live::get).filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparingLong(SimLead::id));
        } else {
            matching = ordered(request);
        }
        List<SimLead> window = matching.filter(request::matches).skip((long) (page - 1) * limit).limit(limit).toList();
        return new LeadsAnswer(window, request.onlyDeleted(), request.withContacts(), window.size() == limit, page);
    }

    void beforeLeadsRequest(LeadsRequest request) {
        leadsListeners.forEach(listener -> listener.accept(request));
    }

    void beforeEventsRequest() {
        eventsListeners.forEach(Runnable::run);
    }

    /**
     * A page of the event log, newest first. Events sharing one {@code created_at} second come back in a different
     * order on every request, as for leads: the API defines no tie order.
     */
    synchronized List<SimEvent> events(Set<String> types, Long from, Long to, int page, int limit) {
        int size = Math.min(100, limit <= 0 ? 50 : limit);
        TreeMap<Long, List<SimEvent>> bySecondNewestFirst = new TreeMap<>(Comparator.reverseOrder());
        for (SimEvent event : events) {
            if ((types.isEmpty() || types.contains(event.type())) && (from == null || event.createdAt() >= from)
                    && (to == null || event.createdAt() <= to)) {
                bySecondNewestFirst.computeIfAbsent(event.createdAt(), s -> new ArrayList<>()).add(event);
            }
        }
        List<SimEvent> newestFirst = new ArrayList<>();
        for (List<SimEvent> tied : bySecondNewestFirst.values()) {
            Collections.shuffle(tied, tieOrder);
            newestFirst.addAll(tied);
        }
        int start = (Math.max(1, page) - 1) * size;
        return start >= newestFirst.size() ? List.of()
                : List.copyOf(newestFirst.subList(start, Math.min(newestFirst.size(), start + size)));
    }

    private Stream<SimLead> ordered(LeadsRequest request) {
        boolean filtered = !faults.ignoresUpdatedAtFilter();
        NavigableMap<Long, Set<Long>> seconds = filtered
                ? bySecond.subMap(request.updatedFrom() == null ? Long.MIN_VALUE : request.updatedFrom(), true,
                        request.updatedTo() == null ? Long.MAX_VALUE : request.updatedTo(), true)
                : bySecond;
        if ("id".equals(request.orderField())) {
            Comparator<SimLead> byId = Comparator.comparingLong(SimLead::id);
            return seconds.values().stream().flatMap(Collection::stream).map(live::get)
                    .sorted(request.descending() ? byId.reversed() : byId);
        }
        NavigableMap<Long, Set<Long>> inOrder = request.descending() ? seconds.descendingMap() : seconds;
        return inOrder.values().stream().flatMap(this::inArbitraryOrder).map(live::get);
    }

    private Stream<Long> inArbitraryOrder(Set<Long> tiedIds) {
        if (tiedIds.size() == 1) {
            return tiedIds.stream();
        }
        List<Long> shuffled = new ArrayList<>(tiedIds);
        Collections.shuffle(shuffled, tieOrder);
        return shuffled.stream();
    }

    private SimLead put(SimLead lead) {
        SimLead previous = live.put(lead.id(), lead);
        if (previous != null) {
            unindex(previous);
        }
        bySecond.computeIfAbsent(lead.updatedAt(), s -> new LinkedHashSet<>()).add(lead.id());
        return lead;
    }

    private void unindex(SimLead lead) {
        Set<Long> ids = bySecond.get(lead.updatedAt());
        if (ids != null) {
            ids.remove(lead.id());
            if (ids.isEmpty()) {
                bySecond.remove(lead.updatedAt());
            }
        }
    }

    private SimLead require(long id) {
        SimLead lead = live.get(id);
        if (lead == null) {
            throw new IllegalArgumentException("no live lead " + id);
        }
        return lead;
    }

    private void log(String type, long leadId, long second) {
        events.add(new SimEvent("01sim" + Long.toHexString(++eventSequence), type, leadId, second));
    }
}
