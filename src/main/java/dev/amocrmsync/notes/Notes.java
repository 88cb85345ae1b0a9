package dev.amocrmsync.notes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.Deletions;
import dev.amocrmsync.mirror.EachItem;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.Mirrored;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.Table;
import io.smallrye.mutiny.Uni;

/**
 * Notes of deals, contacts and companies, every type (text, calls, SMS, service messages, files, types amoCRM adds
 * later), mirrored into one {@code amocrm_notes} keyed by the entity type and the note's id: amoCRM lists them per
 * entity type, and does not say their ids are unique across types. Three entities of one description, selected
 * together as {@code notes}. Their order by {@code updated_at} is not documented, so each list is read by windows
 * proven whole by their lowest and highest ids. A deleted text note is told by {@code common_note_deleted}; no event
 * tells of other deleted notes, which a full sync finds missing.
 */
@ApplicationScoped
public class Notes {

    /** The notes of one parent list: {@code leads}, {@code contacts} or {@code companies}. */
    private static Entity<NoteRow> of(ObjectMapper json, String parents, String parent, int order) {
        return Entity.<NoteRow> named(parent + "_notes", "note", order)
                .partOf("notes")
                .rowsCalled(parent + " notes")
                .list(ItemList.unordered(parents + "/notes", "notes", null))
                .table(Table.named("amocrm_notes", "amocrm_note_id", NoteRow::amocrmNoteId)
                        .partition("entity_type", parents)
                        .columns("entity_id bigint", "note_type text", "params jsonb", "responsible_user_id bigint",
                                "group_id bigint", "created_by bigint", "updated_by bigint", "is_pinned boolean")
                        .times("created_at")
                        .build())
                .mapping(() -> Uni.createFrom().item(RowMapper.onWorker(items -> EachItem.map(items, "note", item -> {
                    Note note = json.treeToValue(item.raw(), Note.class);
                    return new NoteRow(item.id(), note.entityId(), note.noteType(), note.params(),
                            note.responsibleUserId(), note.groupId(), note.createdBy(), note.updatedBy(),
                            note.isPinned(), note.createdAt(), item.updatedAt());
                }))))
                .deletions(Deletions.byEventValues(parent, "note.id", "common_note_deleted").withSweep())
                .webhookNotesOf(parents)
                .build();
    }

    @Produces
    @Singleton
    Mirrored ofDeals(ObjectMapper json) {
        Entity<NoteRow> notes = of(json, "leads", "lead", 50);
        return () -> notes;
    }

    @Produces
    @Singleton
    Mirrored ofContacts(ObjectMapper json) {
        Entity<NoteRow> notes = of(json, "contacts", "contact", 51);
        return () -> notes;
    }

    @Produces
    @Singleton
    Mirrored ofCompanies(ObjectMapper json) {
        Entity<NoteRow> notes = of(json, "companies", "company", 52);
        return () -> notes;
    }
}
