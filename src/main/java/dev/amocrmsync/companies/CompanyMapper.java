package dev.amocrmsync.companies;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.amocrmsync.amocrm.Company;
import dev.amocrmsync.amocrm.ContactDetails;
import dev.amocrmsync.mirror.EachItem;
import dev.amocrmsync.mirror.ItemMetadata;
import dev.amocrmsync.mirror.Keyed;
import dev.amocrmsync.mirror.RowMapper;

/** Turns API companies into {@code amocrm_companies} rows. */
@ApplicationScoped
class CompanyMapper {

    private final ObjectMapper json;

    CompanyMapper(ObjectMapper json) {
        this.json = json;
    }

    RowMapper.Mapped<CompanyRow> map(List<Keyed> companies) {
        return EachItem.map(companies, "company", keyed -> row(json.treeToValue(keyed.raw(), Company.class), keyed));
    }

    private CompanyRow row(Company company, Keyed keyed) {
        ObjectNode metadata = json.createObjectNode();
        ItemMetadata.ids(metadata, "lead_ids", company.leads());
        ItemMetadata.ids(metadata, "contact_ids", company.contacts());
        ItemMetadata.tags(metadata, company.tags());
        metadata.put("account_id", company.accountId());
        return new CompanyRow(keyed.id(), company.name(), company.responsibleUserId(), company.groupId(),
                company.createdBy(), company.updatedBy(), company.createdAt(), keyed.updatedAt(),
                company.closestTaskAt(), ContactDetails.phones(company.customFieldsValues()),
                ContactDetails.emails(company.customFieldsValues()), company.customFieldsValues(), metadata);
    }
}
