package dev.amocrmsync.sync;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One row of the run history: what a sync run did and how it ended. Counters are advanced in each page's transaction. */
@Entity
@Table(name = "sync_runs")
public class SyncRun extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    // stamped by the database (the column's default, now()), as finished_at is: how long a run has held the lock is
    // then measured on one clock, whatever this host's says
    @Column(name = "started_at", insertable = false, updatable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(columnDefinition = "text")
    public String status;

    @Column(columnDefinition = "text")
    public String kind;

    @Column(name = "access_mode", columnDefinition = "text")
    public String accessMode;

    @Column(name = "range_from")
    public Instant rangeFrom;

    @Column(name = "range_to")
    public Instant rangeTo;

    public int pages;
    public int requests;

    @Column(name = "leads_read")
    public int leadsRead;

    public int inserted;
    public int updated;
    public int deleted;
    public int restored;
    public int quarantined;
    @Column(columnDefinition = "text")
    public String error;
    @Column(columnDefinition = "text")
    public String host;
    public Long pid;
}
