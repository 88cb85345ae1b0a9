package dev.amocrmsync.simulator;

/** What every listed entity of the account (lead, contact, company) has for paging: an id and an update second. */
public interface SimEntity {

    long id();

    long updatedAt();

    String name();

    /** Its custom field values as the API sends them; null when it has none. */
    String customFieldsJson();
}
