package dev.amocrmsync.simulator;

/** What every record a simulated list pages over has: an id and the second it last changed. */
public interface SimRecord {

    long id();

    long updatedAt();
}
