package dev.amocrmsync.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A stateful amoCRM account: leads, contacts and companies, their edits, deletions and restorations, moves through
 * the funnel, the team's tasks and notes ({@link #tasks()}, {@link #notes()}), the catalogs, and the event log,
 * answering queries with the documented API semantics. Records sharing one {@code updated_at} second come back in a
 * different order on every request, as a database's {@code ORDER BY ... LIMIT} may return them, so a client that relies
 * on a stable tie order is caught by the tests.
 */
public final class SimulatedAccount {

    private final Clock clock;
    private final LeadGenerator generator;
    private final Random tieOrder;
    private final PartyGenerator parties;
    private final EntityTable<SimLead> leads = new EntityTable<>("lead");
    private final EntityTable<SimContact> contacts = new EntityTable<>("contact");
    private final EntityTable<SimCompany> companies = new EntityTable<>("company");
    private final EventLog events = new EventLog();
    private final StatusHistory history;
    private final SimTasks tasks;
    private final SimNotes notes;
    private final Map<Long, String> verbatim = new java.util.HashMap<>();
    private final List<Consumer<LeadsRequest>> leadsListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ListQuery>> contactsListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ListQuery>> companiesListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> eventsListeners = new CopyOnWriteArrayList<>();
    private final Faults faults = new Faults();
    private final SimCatalogs catalogs = new SimCatalogs(this::now);
    private volatile long accountId = Catalog.ACCOUNT_ID;

    public SimulatedAccount(long seed) {
        this(seed, Clock.systemUTC());
    }

    public SimulatedAccount(long seed, Clock clock) {
        this.clock = clock;
        this.generator = new LeadGenerator(seed, 30_000_001L);
        this.parties = new PartyGenerator(seed, 40_000_001L, 60_000_001L);
        this.tieOrder = new Random(seed ^ 0x5DEECE66DL);
        this.history = new StatusHistory(seed);
        this.tasks = new SimTasks(this, seed);
        this.notes = new SimNotes(this, seed);
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

    /**
     * A ready account with leads, contacts and companies last updated within {@code history} before now, linked as a
     * sales team links them: a lead has 0 to 3 contacts (the first is the main one) and, about half the time, a
     * company; about 40% of contacts belong to a company. The leads are those {@link #withLeads} makes for the seed.
     */
    public static SimulatedAccount withEntities(long seed, int leadCount, int contactCount, int companyCount,
            Duration history) {
        return withEntities(seed, leadCount, contactCount, companyCount, history, Clock.systemUTC());
    }

    /** The same, on a clock of its own. */
    public static SimulatedAccount withEntities(long seed, int leadCount, int contactCount, int companyCount,
            Duration history, Clock clock) {
        SimulatedAccount account = new SimulatedAccount(seed, clock);
        account.addCompanies(companyCount, history);
        account.addContacts(contactCount, history);
        account.linkAll(account.addLeads(leadCount, history));
        return account;
    }

    /**
     * A ready account as {@link #withEntities(long, int, int, int, Duration)} makes it, with the team's work of
     * {@code history} too: {@code taskCount} tasks and {@code noteCount} notes (calls among them) on its leads, contacts
     * and companies. The leads, contacts and companies are those the shorter factory makes for the seed.
     */
    public static SimulatedAccount withEntities(long seed, int leadCount, int contactCount, int companyCount,
            int taskCount, int noteCount, Duration history) {
        return withEntities(seed, leadCount, contactCount, companyCount, taskCount, noteCount, history,
                Clock.systemUTC());
    }

    /** The same, on a clock of its own. */
    public static SimulatedAccount withEntities(long seed, int leadCount, int contactCount, int companyCount,
            int taskCount, int noteCount, Duration history, Clock clock) {
        SimulatedAccount account = withEntities(seed, leadCount, contactCount, companyCount, history, clock);
        account.tasks().add(taskCount, history);
        account.notes().add(noteCount, history);
        return account;
    }

    /** Links freshly generated leads to random live contacts and companies, without stamping anything. */
    private synchronized void linkAll(List<SimLead> fresh) {
        long[] contactIds = contacts.liveView().keySet().stream().mapToLong(Long::longValue).toArray();
        long[] companyIds = companies.liveView().keySet().stream().mapToLong(Long::longValue).toArray();
        Random random = parties.random();
        for (SimLead lead : fresh) {
            int draw = random.nextInt(20);
            int count = contactIds.length == 0 ? 0 : draw < 4 ? 0 : draw < 13 ? 1 : draw < 18 ? 2 : 3;
            List<Long> linked = new ArrayList<>(count);
            while (linked.size() < Math.min(count, contactIds.length)) {
                long id = contactIds[random.nextInt(contactIds.length)];
                if (!linked.contains(id)) {
                    linked.add(id);
                }
            }
            Long company = null;
            if (companyIds.length > 0 && random.nextBoolean()) {
                Long mainsCompany = linked.isEmpty() ? null : contacts.live(linked.get(0)).companyId();
                company = mainsCompany != null && random.nextInt(10) < 7 ? mainsCompany
                        : companyIds[random.nextInt(companyIds.length)];
            }
            put(lead.withLinks(linked, company));
        }
    }

    /** The users, custom fields, pipelines, loss reasons and tags, for tests to change. */
    public SimCatalogs catalogs() {
        return catalogs;
    }

    /** The team's tasks: what {@code GET /api/v4/tasks} lists, and the changes to them. */
    public SimTasks tasks() {
        return tasks;
    }

    /** The notes of leads, contacts and companies: what {@code GET /api/v4/{entity}/notes} lists. */
    public SimNotes notes() {
        return notes;
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

    /**
     * Adds leads created and last updated at random seconds within {@code history}, more of them recently, with the
     * moves that brought each to its stage in the event log ({@code lead_status_changed}, robots' crowded seconds among
     * them). About one lost lead in five was lost without a reason ({@code loss_reason_id} null).
     */
    public synchronized List<SimLead> addLeads(int count, Duration history) {
        long now = now();
        long span = Math.max(1, history.toSeconds());
        List<SimLead> added = new ArrayList<>(count);
        Random random = generator.random();
        for (int i = 0; i < count; i++) {
            long createdAt = now - 1 - (long) (span * random.nextDouble());
            double recency = random.nextDouble();
            long updatedAt = now - 1 - (long) ((now - 1 - createdAt) * recency * recency);
            SimLead lead = generator.lead(createdAt, updatedAt);
            if (lead.statusId() == Catalog.LOST && this.history.lostWithoutReason()) {
                lead = lead.withLossReason(null);
            }
            added.add(put(lead));
        }
        for (StatusHistory.Move move : this.history.of(added, now, span)) {
            logMove(move.leadId(), move.at(), move.by(), move.from(), move.to());
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

    /**
     * A salesperson edits the lead now: it moves to the end of an {@code updated_at}-ordered list. When the edit moves
     * it to another stage, {@code lead_status_changed} is logged.
     */
    public synchronized SimLead edit(long id) {
        SimLead lead = require(id);
        SimLead edited = put(generator.edit(lead, now()));
        if (edited.statusId() != lead.statusId() || edited.pipelineId() != lead.pipelineId()) {
            logMove(id, edited.updatedAt(), lead.responsibleUserId(), stageOf(lead), stageOf(edited));
        }
        return edited;
    }

    // ---- moves through the funnel

    /**
     * A user moves the lead to this stage now (another pipeline too): its {@code updated_at} moves,
     * {@code closed_at} is set for 142 and 143 and cleared otherwise, and {@code lead_status_changed} is logged. A lead
     * moved out of "lost" keeps its {@code loss_reason_id}, as nothing says amoCRM clears it.
     */
    public synchronized SimLead moveLead(long id, long pipelineId, long statusId) {
        return move(id, pipelineId, statusId, require(id).lossReasonId(), now(), require(id).responsibleUserId());
    }

    /** A user closes the lead as lost (143 of its pipeline) now, for this reason ({@code null}: none given). */
    public synchronized SimLead loseLead(long id, Long lossReasonId) {
        SimLead lead = require(id);
        return move(id, lead.pipelineId(), Catalog.LOST, lossReasonId, now(), lead.responsibleUserId());
    }

    /**
     * A robot moves these leads to one stage within one {@code second} ({@code created_by} 0): each lead's
     * {@code updated_at} and its {@code lead_status_changed} event carry that second. Leads already there are left
     * alone. Returns the ids moved.
     */
    public synchronized List<Long> moveLeadsInOneSecond(Collection<Long> ids, long pipelineId, long statusId,
            long second) {
        List<Long> moved = new ArrayList<>();
        for (long id : ids) {
            SimLead lead = require(id);
            if (lead.pipelineId() != pipelineId || lead.statusId() != statusId) {
                move(id, pipelineId, statusId, lead.lossReasonId(), second, 0);
                moved.add(id);
            }
        }
        return moved;
    }

    /** A robot moves {@code count} random live leads of the pipeline to this stage in one second; their ids. */
    public synchronized List<Long> moveRandomLeadsInOneSecond(int count, long pipelineId, long statusId, long second) {
        List<Long> candidates = leads.shuffledIds(generator.random()).stream()
                .filter(id -> leads.live(id).pipelineId() == pipelineId && leads.live(id).statusId() != statusId)
                .limit(count).toList();
        return moveLeadsInOneSecond(candidates, pipelineId, statusId, second);
    }

    /** A salesperson moves {@code count} random live leads one stage on (or to won or lost) now; their ids. */
    public synchronized List<Long> moveRandomLeads(int count) {
        List<Long> ids = leads.shuffledIds(generator.random());
        List<Long> moved = List.copyOf(ids.subList(0, Math.min(count, ids.size())));
        Random random = generator.random();
        for (long id : moved) {
            SimLead lead = leads.live(id);
            Catalog.Pipeline pipeline = catalogs.pipeline(lead.pipelineId());
            List<Catalog.Status> others = pipeline.statuses().stream().filter(s -> s.id() != lead.statusId()).toList();
            Catalog.Status to = others.get(random.nextInt(others.size()));
            Long reason = to.id() == Catalog.LOST && random.nextInt(5) > 0
                    ? Long.valueOf(SimCatalogs.FIRST_LOSS_REASON + random.nextInt(4))
                    : lead.lossReasonId();
            move(id, pipeline.id(), to.id(), reason, now(), lead.responsibleUserId());
        }
        return moved;
    }

    private SimLead move(long id, long pipelineId, long statusId, Long lossReasonId, long at, long by) {
        if (!catalogs.hasStatus(pipelineId, statusId)) {
            throw new IllegalArgumentException("no status " + statusId + " in pipeline " + pipelineId);
        }
        SimLead lead = require(id);
        boolean closed = statusId == Catalog.WON || statusId == Catalog.LOST;
        SimLead moved = put(lead.movedTo(pipelineId, statusId, closed ? Long.valueOf(at) : null, lossReasonId, at, by));
        logMove(id, at, by, stageOf(lead), stageOf(moved));
        return moved;
    }

    private void logMove(long leadId, long at, long by, EventValue.LeadStatus from, EventValue.LeadStatus to) {
        events.append("lead_status_changed", "lead", leadId, at, by, from, to);
    }

    private static EventValue.LeadStatus stageOf(SimLead lead) {
        return new EventValue.LeadStatus(lead.statusId(), lead.pipelineId());
    }

    /** Edits {@code count} random live leads now and returns their ids. */
    public synchronized List<Long> editRandom(int count) {
        List<Long> ids = leads.shuffledIds(generator.random());
        List<Long> edited = ids.subList(0, Math.min(count, ids.size()));
        edited.forEach(this::edit);
        return List.copyOf(edited);
    }

    /** A robot's bulk edit: {@code count} leads (new ones when there are too few) all stamped with one second. */
    public synchronized List<Long> stampSecond(long second, int count) {
        List<Long> ids = leads.shuffledIds(generator.random());
        List<Long> stamped = new ArrayList<>(ids.subList(0, Math.min(count, ids.size())));
        stamped.forEach(id -> put(leads.live(id).stampedAt(second)));
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
        leads.delete(id);
        log("lead_deleted", id, second);
    }

    private void restore(long id, long second) {
        leads.restore(id);
        log("lead_restored", id, second);
    }

    /**
     * A sales team's {@code count} changes of each kind now: leads, contacts and companies edited, leads moved to
     * another stage, tasks added, edited, completed or deleted, calls made and notes written or changed. What the
     * dev-mode and {@code simulate} salespeople do every second.
     */
    public void salesTeamAtWork(int count) {
        editRandom(count);
        editRandomContacts(count);
        editRandomCompanies(count);
        moveRandomLeads(count);
        tasks.workOnRandom(count);
        notes.workOnRandom(count);
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
        contactsListeners.clear();
        companiesListeners.clear();
        eventsListeners.clear();
        tasks.clearListeners();
        notes.clearListeners();
    }

    // ---- contacts and companies, and their links

    /** Adds contacts created and last updated within {@code history}, about 40% of them at a random live company. */
    public synchronized List<SimContact> addContacts(int count, Duration history) {
        List<Long> companyIds = new ArrayList<>(companies.liveView().keySet());
        Random random = parties.random();
        List<SimContact> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] times = spread(history, random);
            Long company = !companyIds.isEmpty() && random.nextInt(10) < 4
                    ? companyIds.get(random.nextInt(companyIds.size()))
                    : null;
            added.add(contacts.put(parties.contact(times[0], times[1], company)));
        }
        return added;
    }

    /** Adds one contact, without a company, updated at {@code updatedAt}. */
    public synchronized SimContact addContact(long updatedAt) {
        return contacts.put(parties.contact(updatedAt - 3_600, updatedAt, null));
    }

    /** Adds companies created and last updated within {@code history}. */
    public synchronized List<SimCompany> addCompanies(int count, Duration history) {
        Random random = parties.random();
        List<SimCompany> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] times = spread(history, random);
            added.add(companies.put(parties.company(times[0], times[1])));
        }
        return added;
    }

    /** Adds one company updated at {@code updatedAt}. */
    public synchronized SimCompany addCompany(long updatedAt) {
        return companies.put(parties.company(updatedAt - 3_600, updatedAt));
    }

    /** Stores this contact as given (a new one, or a replacement of the live one with its id): odd values on demand. */
    public synchronized SimContact putContact(SimContact contact) {
        return contacts.put(contact);
    }

    /** Stores this company as given (a new one, or a replacement of the live one with its id). */
    public synchronized SimCompany putCompany(SimCompany company) {
        return companies.put(company);
    }

    /** A salesperson edits the contact now (name, phones, e-mails): it moves to the end of the list. */
    public synchronized SimContact editContact(long id) {
        return contacts.put(parties.edit(contacts.require(id), now()));
    }

    /** A salesperson edits the company now. */
    public synchronized SimCompany editCompany(long id) {
        return companies.put(parties.edit(companies.require(id), now()));
    }

    /** Edits {@code count} random live contacts now and returns their ids. */
    public synchronized List<Long> editRandomContacts(int count) {
        List<Long> ids = contacts.shuffledIds(parties.random());
        List<Long> edited = List.copyOf(ids.subList(0, Math.min(count, ids.size())));
        edited.forEach(this::editContact);
        return edited;
    }

    /** Edits {@code count} random live companies now and returns their ids. */
    public synchronized List<Long> editRandomCompanies(int count) {
        List<Long> ids = companies.shuffledIds(parties.random());
        List<Long> edited = List.copyOf(ids.subList(0, Math.min(count, ids.size())));
        edited.forEach(this::editCompany);
        return edited;
    }

    /** A robot's bulk edit of {@code count} contacts (new ones when there are too few), all stamped with one second. */
    public synchronized List<Long> stampContactSecond(long second, int count) {
        List<Long> ids = contacts.shuffledIds(parties.random());
        List<Long> stamped = new ArrayList<>(ids.subList(0, Math.min(count, ids.size())));
        stamped.forEach(id -> contacts.put(contacts.live(id).stampedAt(second)));
        while (stamped.size() < count) {
            stamped.add(contacts.put(parties.contact(second - 60, second, null)).id());
        }
        return stamped;
    }

    /** A robot's bulk edit of {@code count} companies (new ones when there are too few), all stamped with one second. */
    public synchronized List<Long> stampCompanySecond(long second, int count) {
        List<Long> ids = companies.shuffledIds(parties.random());
        List<Long> stamped = new ArrayList<>(ids.subList(0, Math.min(count, ids.size())));
        stamped.forEach(id -> companies.put(companies.live(id).stampedAt(second)));
        while (stamped.size() < count) {
            stamped.add(companies.put(parties.company(second - 60, second)).id());
        }
        return stamped;
    }

    /**
     * Deletes the contact into the bin and logs {@code contact_deleted}: it vanishes from lists and from every lead's
     * {@code _embedded}, and no lead's {@code updated_at} moves.
     */
    public synchronized void deleteContact(long id) {
        deleteContacts(List.of(id), now());
    }

    /** Brings the contact back (its {@code updated_at} unchanged, its links shown again), logs {@code contact_restored}. */
    public synchronized void restoreContact(long id) {
        restoreContacts(List.of(id), now());
    }

    /** A bulk delete of contacts, every {@code contact_deleted} event stamped with the same {@code second}. */
    public synchronized void deleteContacts(Collection<Long> ids, long second) {
        ids.forEach(id -> {
            contacts.delete(id);
            log("contact_deleted", id, second);
        });
    }

    /** A bulk restore of contacts, every {@code contact_restored} event stamped with {@code second}. */
    public synchronized void restoreContacts(Collection<Long> ids, long second) {
        ids.forEach(id -> {
            contacts.restore(id);
            log("contact_restored", id, second);
        });
    }

    /** Deletes the company into the bin and logs {@code company_deleted}; leads and contacts stop showing it. */
    public synchronized void deleteCompany(long id) {
        deleteCompanies(List.of(id), now());
    }

    /** Brings the company back and logs {@code company_restored}. */
    public synchronized void restoreCompany(long id) {
        restoreCompanies(List.of(id), now());
    }

    /** A bulk delete of companies, every {@code company_deleted} event stamped with the same {@code second}. */
    public synchronized void deleteCompanies(Collection<Long> ids, long second) {
        ids.forEach(id -> {
            companies.delete(id);
            log("company_deleted", id, second);
        });
    }

    /** A bulk restore of companies, every {@code company_restored} event stamped with {@code second}. */
    public synchronized void restoreCompanies(Collection<Long> ids, long second) {
        ids.forEach(id -> {
            companies.restore(id);
            log("company_restored", id, second);
        });
    }

    /**
     * Links the contact to the lead (as its main contact when {@code main}, else after the others); both the lead's and
     * the contact's {@code updated_at} move to now.
     */
    public synchronized SimLead linkContact(long leadId, long contactId, boolean main) {
        SimLead lead = require(leadId);
        contacts.require(contactId);
        List<Long> linked = new ArrayList<>(lead.contactIds());
        linked.remove(contactId);
        linked.add(main ? 0 : linked.size(), contactId);
        contacts.put(contacts.live(contactId).stampedAt(now()));
        return put(lead.withLinks(linked, lead.companyId()).stampedAt(now()));
    }

    /** Unlinks the contact from the lead; the lead's and the contact's {@code updated_at} move to now. */
    public synchronized SimLead unlinkContact(long leadId, long contactId) {
        SimLead lead = require(leadId);
        List<Long> linked = new ArrayList<>(lead.contactIds());
        if (!linked.remove(contactId)) {
            throw new IllegalArgumentException("lead " + leadId + " is not linked to contact " + contactId);
        }
        stampContact(contactId);
        return put(lead.withLinks(linked, lead.companyId()).stampedAt(now()));
    }

    /** Makes this company the lead's only one; the lead's and the company's {@code updated_at} move to now. */
    public synchronized SimLead linkCompany(long leadId, long companyId) {
        SimLead lead = require(leadId);
        companies.put(companies.require(companyId).stampedAt(now()));
        if (lead.companyId() != null && lead.companyId() != companyId) {
            stampCompany(lead.companyId());
        }
        return put(lead.withLinks(lead.contactIds(), companyId).stampedAt(now()));
    }

    /** Unlinks the lead's company; the lead's and the company's {@code updated_at} move to now. */
    public synchronized SimLead unlinkCompany(long leadId) {
        SimLead lead = require(leadId);
        if (lead.companyId() == null) {
            throw new IllegalArgumentException("lead " + leadId + " has no company");
        }
        stampCompany(lead.companyId());
        return put(lead.withLinks(lead.contactIds(), null).stampedAt(now()));
    }

    /** Sets the contact's company ({@code null}: none); the contact and the companies involved are stamped now. */
    public synchronized SimContact setContactCompany(long contactId, Long companyId) {
        SimContact contact = contacts.require(contactId);
        if (companyId != null) {
            companies.put(companies.require(companyId).stampedAt(now()));
        }
        if (contact.companyId() != null && !contact.companyId().equals(companyId)) {
            stampCompany(contact.companyId());
        }
        return contacts.put(contact.withCompany(companyId).stampedAt(now()));
    }

    /** Runs before every contacts request is answered: the way tests edit contacts while a sync pages them. */
    public void onContactsRequest(Consumer<ListQuery> listener) {
        contactsListeners.add(listener);
    }

    /** Runs before every companies request is answered. */
    public void onCompaniesRequest(Consumer<ListQuery> listener) {
        companiesListeners.add(listener);
    }

    public synchronized Map<Long, SimContact> liveContacts() {
        return new LinkedHashMap<>(contacts.liveView());
    }

    public synchronized Map<Long, SimContact> deletedContacts() {
        return new LinkedHashMap<>(contacts.deletedView());
    }

    public synchronized Map<Long, SimCompany> liveCompanies() {
        return new LinkedHashMap<>(companies.liveView());
    }

    public synchronized Map<Long, SimCompany> deletedCompanies() {
        return new LinkedHashMap<>(companies.deletedView());
    }

    public synchronized SimContact contact(long id) {
        return contacts.live(id);
    }

    public synchronized SimCompany company(long id) {
        return companies.live(id);
    }

    /** The live lead's contacts and company as the API shows them now (deleted ones hidden); null for no live lead. */
    public synchronized LeadLinks leadLinks(long leadId) {
        SimLead lead = leads.live(leadId);
        return lead == null ? null : linksOf(lead);
    }

    /** {@link #leadLinks(long)} of every live lead. */
    public synchronized Map<Long, LeadLinks> liveLeadLinks() {
        Map<Long, LeadLinks> links = new LinkedHashMap<>();
        leads.liveView().values().forEach(lead -> links.put(lead.id(), linksOf(lead)));
        return links;
    }

    /** The company each live contact shows in {@code _embedded.companies} now; contacts showing none are left out. */
    public synchronized Map<Long, Long> liveContactCompanies() {
        Map<Long, Long> shown = new LinkedHashMap<>();
        contacts.liveView().values().forEach(contact -> {
            Long company = shownCompany(contact);
            if (company != null) {
                shown.put(contact.id(), company);
            }
        });
        return shown;
    }

    // ---- what tests compare the database with

    /**
     * Live leads as stored: {@code contactIds} and {@code companyId} are the stored links, deleted contacts and
     * companies included; {@link #leadLinks(long)} tells what the API shows.
     */
    public synchronized Map<Long, SimLead> liveLeads() {
        return new LinkedHashMap<>(leads.liveView());
    }

    public synchronized Map<Long, SimLead> deletedLeads() {
        return new LinkedHashMap<>(leads.deletedView());
    }

    public synchronized SimLead lead(long id) {
        return leads.live(id);
    }

    public synchronized int size() {
        return leads.liveView().size();
    }

    // ---- the API

    synchronized LeadsAnswer leads(LeadsRequest request) {
        ListQuery query = request.query();
        List<SimLead> window = leads.page(query, request.onlyDeleted(), request::matches,
                faults.ignoresUpdatedAtFilter(), tieOrder);
        Map<Long, LeadLinks> links = new java.util.HashMap<>();
        if (!request.onlyDeleted()) {
            window.forEach(lead -> links.put(lead.id(), linksOf(lead)));
        }
        return new LeadsAnswer(window, request.onlyDeleted(), request.withContacts(), window.size() == query.pageSize(),
                query.pageNumber(), links, catalogs.tagsById("leads"));
    }

    /**
     * What a page of contacts embeds, resolved to what is live: each contact's company, and with {@code with=leads}
     * its leads.
     */
    synchronized EntitiesAnswer<SimContact> contactLinks(List<SimContact> window, Set<String> with) {
        Map<Long, Long> shown = new java.util.HashMap<>();
        window.forEach(contact -> {
            Long company = shownCompany(contact);
            if (company != null) {
                shown.put(contact.id(), company);
            }
        });
        boolean withLeads = with.contains("leads");
        Map<Long, List<Long>> leadsOf = withLeads ? leadsOf(window, SimLead::contactIds) : Map.of();
        return new EntitiesAnswer<>(window, shown, leadsOf, Map.of(), withLeads, false, catalogs.tagsById("contacts"));
    }

    /** What a page of companies embeds: with {@code with=leads} their leads, with {@code with=contacts} contacts. */
    synchronized EntitiesAnswer<SimCompany> companyLinks(List<SimCompany> window, Set<String> with) {
        boolean withLeads = with.contains("leads");
        boolean withContacts = with.contains("contacts");
        Map<Long, List<Long>> leadsOf = withLeads
                ? leadsOf(window, lead -> lead.companyId() == null ? List.of() : List.of(lead.companyId()))
                : Map.of();
        Map<Long, List<Long>> contactsOf = new java.util.HashMap<>();
        if (withContacts) {
            Set<Long> wanted = ids(window);
            contacts.liveView().values().forEach(contact -> {
                if (contact.companyId() != null && wanted.contains(contact.companyId())) {
                    contactsOf.computeIfAbsent(contact.companyId(), c -> new ArrayList<>()).add(contact.id());
                }
            });
        }
        return new EntitiesAnswer<>(window, Map.of(), leadsOf, contactsOf, withLeads, withContacts,
                catalogs.tagsById("companies"));
    }

    EntityTable<SimContact> contactTable() {
        return contacts;
    }

    EntityTable<SimCompany> companyTable() {
        return companies;
    }

    void beforeContactsRequest(ListQuery query) {
        contactsListeners.forEach(listener -> listener.accept(query));
    }

    void beforeCompaniesRequest(ListQuery query) {
        companiesListeners.forEach(listener -> listener.accept(query));
    }

    /** The live leads linked to each of these records, by lead id: what {@code with=leads} embeds. */
    private Map<Long, List<Long>> leadsOf(List<? extends SimEntity> window,
            java.util.function.Function<SimLead, List<Long>> linked) {
        Set<Long> wanted = ids(window);
        Map<Long, List<Long>> leadsOf = new java.util.HashMap<>();
        for (SimLead lead : leads.liveView().values()) {
            for (long id : linked.apply(lead)) {
                if (wanted.contains(id)) {
                    leadsOf.computeIfAbsent(id, i -> new ArrayList<>()).add(lead.id());
                }
            }
        }
        return leadsOf;
    }

    private static Set<Long> ids(List<? extends SimEntity> window) {
        Set<Long> ids = new java.util.HashSet<>();
        window.forEach(record -> ids.add(record.id()));
        return ids;
    }

    private LeadLinks linksOf(SimLead lead) {
        if (lead.contactIds().isEmpty() && lead.companyId() == null) {
            return LeadLinks.NONE;
        }
        List<Long> shown = lead.contactIds().stream().filter(contacts::isLive).toList();
        Long main = !lead.contactIds().isEmpty() && contacts.isLive(lead.contactIds().get(0))
                ? lead.contactIds().get(0)
                : null;
        Long company = lead.companyId() != null && companies.isLive(lead.companyId()) ? lead.companyId() : null;
        return new LeadLinks(shown, main, company);
    }

    private Long shownCompany(SimContact contact) {
        return contact.companyId() != null && companies.isLive(contact.companyId()) ? contact.companyId() : null;
    }

    private void stampContact(long id) {
        SimContact contact = contacts.live(id);
        if (contact != null) {
            contacts.put(contact.stampedAt(now()));
        }
    }

    private void stampCompany(long id) {
        SimCompany company = companies.live(id);
        if (company != null) {
            companies.put(company.stampedAt(now()));
        }
    }

    /** A created and a last-updated second within {@code history} before now, more updates recently. */
    long[] spread(Duration history, Random random) {
        long now = now();
        long span = Math.max(1, history.toSeconds());
        long createdAt = now - 1 - (long) (span * random.nextDouble());
        double recency = random.nextDouble();
        return new long[] { createdAt, now - 1 - (long) ((now - 1 - createdAt) * recency * recency) };
    }

    void beforeLeadsRequest(LeadsRequest request) {
        leadsListeners.forEach(listener -> listener.accept(request));
    }

    void beforeEventsRequest() {
        eventsListeners.forEach(Runnable::run);
    }

    /** A page of the event log, newest first, of these types (all when empty). */
    synchronized List<SimEvent> events(Set<String> types, Long from, Long to, int page, int limit) {
        return events(types, Set.of(), from, to, false, page, limit);
    }

    /** A page of the event log as {@code GET /api/v4/events} asks for it. */
    synchronized List<SimEvent> events(EventLog.Query query) {
        return events.page(query, tieOrder);
    }

    /**
     * A page of the event log of these types and entity types ({@code lead}, {@code contact}, {@code company}; all
     * when empty), newest first unless {@code oldestFirst}. Events sharing one {@code created_at} second come back in
     * a different order on every request, as for leads: the API defines no tie order.
     */
    synchronized List<SimEvent> events(Set<String> types, Set<String> entities, Long from, Long to,
            boolean oldestFirst, int page, int limit) {
        return events.page(EventLog.Query.of(types, entities, from, to, oldestFirst, page, limit), tieOrder);
    }

    /**
     * The event log no longer reaches before {@code second}, as amoCRM keeps only so much history: a {@code --full}
     * run must build what the log still holds. {@link #statusChanges()} then lists only what is left.
     */
    public synchronized void forgetEventsBefore(long second) {
        events.forgetBefore(second);
    }

    /** Every event logged, oldest second first: what a test compares an event-fed table with. */
    public synchronized List<SimEvent> allEvents() {
        return events.all();
    }

    /**
     * Every move of a lead between stages ({@code lead_status_changed}), oldest second first: what
     * {@code amocrm_deal_status_history} must hold once read whole.
     */
    public synchronized List<StatusChange> statusChanges() {
        List<StatusChange> changes = new ArrayList<>();
        for (SimEvent event : events.all()) {
            if (event.type().equals("lead_status_changed")) {
                EventValue.LeadStatus before = (EventValue.LeadStatus) event.before();
                EventValue.LeadStatus after = (EventValue.LeadStatus) event.after();
                changes.add(new StatusChange(event.id(), event.entityId(), before.pipelineId(), before.statusId(),
                        after.pipelineId(), after.statusId(), event.createdAt(), event.createdBy()));
            }
        }
        return changes;
    }

    // ---- for the generic lists and the facades, under this account's lock

    synchronized <R> R locked(java.util.function.Supplier<R> work) {
        return work.get();
    }

    synchronized void lockedRun(Runnable work) {
        work.run();
    }

    /** The random source of tie orders: a new order on every request, reproducible per seed. */
    Random tieOrder() {
        return tieOrder;
    }

    /** The live ids of {@code leads}, {@code contacts} or {@code companies}. */
    synchronized long[] liveIds(String entity) {
        EntityTable<? extends SimEntity> table = switch (entity) {
            case "leads" -> leads;
            case "contacts" -> contacts;
            case "companies" -> companies;
            default -> throw new IllegalArgumentException("no entity " + entity);
        };
        return table.liveView().keySet().stream().mapToLong(Long::longValue).toArray();
    }

    synchronized SimEvent logEvent(String type, String entityType, long entityId, long second, long createdBy,
            EventValue before, EventValue after) {
        return events.append(type, entityType, entityId, second, createdBy, before, after);
    }

    private SimLead put(SimLead lead) {
        return leads.put(lead);
    }

    private SimLead require(long id) {
        return leads.require(id);
    }

    /** A deletion or restoration ({@code lead_deleted}, {@code contact_restored}...): the entity is the type's prefix. */
    private void log(String type, long id, long second) {
        events.append(type, type.substring(0, type.indexOf('_')), id, second, 0, null, null);
    }
}
