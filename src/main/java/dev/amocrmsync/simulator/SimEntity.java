package dev.amocrmsync.simulator;

/** A lead, contact or company: a record with a name and custom fields. */
public interface SimEntity extends SimRecord {

    String name();

    /** Its custom field values as the API sends them; null when it has none. */
    String customFieldsJson();
}
