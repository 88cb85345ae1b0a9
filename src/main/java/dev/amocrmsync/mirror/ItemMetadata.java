package dev.amocrmsync.mirror;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.amocrmsync.amocrm.Lead;

/**
 * What every mirrored item keeps in {@code metadata} beside its columns, written alike for leads, contacts and
 * companies: the ids it links to and its tags. Keys keep the order they are put in, which the content hash reads.
 */
public final class ItemMetadata {

    private ItemMetadata() {
    }

    /** The ids of the items an {@code _embedded} list links to, as {@code name: [id, ...]}. */
    public static void ids(ObjectNode metadata, String name, List<Lead.CompanyRef> linked) {
        ArrayNode ids = metadata.putArray(name);
        linked.forEach(item -> ids.add(item.id()));
    }

    /** The item's tags, as {@code tags: [{id, name, color}, ...]}. */
    public static void tags(ObjectNode metadata, List<Lead.Tag> tags) {
        ArrayNode array = metadata.putArray("tags");
        tags.forEach(tag -> array.addObject().put("id", tag.id()).put("name", tag.name()).put("color", tag.color()));
    }
}
