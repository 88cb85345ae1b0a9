package dev.amocrmsync.contacts;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.amocrmsync.amocrm.Contact;
import dev.amocrmsync.amocrm.ContactDetails;
import dev.amocrmsync.mirror.EachItem;
import dev.amocrmsync.mirror.ItemMetadata;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.RowMapper;

/** Turns API contacts into {@code amocrm_contacts} rows; the company they list goes to {@code metadata.company_ids}. */
@ApplicationScoped
class ContactMapper {

    private final ObjectMapper json;

    ContactMapper(ObjectMapper json) {
        this.json = json;
    }

    RowMapper.Mapped<ContactRow> map(List<Keyed> contacts) {
        return EachItem.map(contacts, "contact", keyed -> row(json.treeToValue(keyed.raw(), Contact.class), keyed));
    }

    private ContactRow row(Contact contact, Keyed keyed) {
        ObjectNode metadata = json.createObjectNode();
        ItemMetadata.ids(metadata, "company_ids", contact.companies());
        ItemMetadata.ids(metadata, "lead_ids", contact.leads());
        ItemMetadata.tags(metadata, contact.tags());
        metadata.put("account_id", contact.accountId());
        return new ContactRow(keyed.id(), contact.name(), contact.firstName(), contact.lastName(),
                contact.responsibleUserId(), contact.groupId(), contact.createdBy(), contact.updatedBy(),
                contact.createdAt(), keyed.updatedAt(), contact.closestTaskAt(),
                ContactDetails.phones(contact.customFieldsValues()), ContactDetails.emails(contact.customFieldsValues()),
                contact.customFieldsValues(), metadata);
    }
}
