package dev.amocrmsync.scan;

import dev.amocrmsync.store.MirrorTable;
import io.smallrye.mutiny.Uni;

/**
 * What the engine needs to know to mirror one kind of amoCRM entity: its list (paged, filtered and ordered like every
 * v4 list), how a page becomes rows, and the table that holds them. A new entity is a package with one of these, a
 * mapper and a table.
 *
 * @param <R> a row of the entity's table
 */
public interface Entity<R> {

    /** The list's path segment, its {@code _embedded} key and the name in state and reports: {@code leads}, ... */
    String name();

    /** One of them, in messages: {@code lead}, {@code contact}, {@code company}. */
    String one();

    /** The {@code with} parameter that brings the links the mirror keeps; null for none. */
    String with();

    /** The table's name, for log lines and messages. */
    String table();

    /** Opens the mapping for one run (leads read status names once per run). */
    Uni<RowMapper<R>> openMapper();

    /** The table the rows go to. */
    MirrorTable<R> rows();
}
