package dev.amocrmsync.simulator;

/** What every listed entity of the account (lead, contact, company) has for paging: an id and an update second. */
public interface SimEntity {

    long id();

    long updatedAt();
}
