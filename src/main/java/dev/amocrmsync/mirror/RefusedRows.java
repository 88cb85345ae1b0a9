package dev.amocrmsync.mirror;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Which rows of a page PostgreSQL refuses, for a page whose one statement it refused for a value it cannot hold
 * ({@link DataError}). Rows are written in trial transactions that are always rolled back, half of the page at a time:
 * a half that stores holds no refused row, a half that fails is halved again, down to the rows themselves (one bad
 * item of 250 costs some 16 trials, not 250). A savepoint per row inside the page's transaction would not do: the
 * reactive client gives up a whole transaction at its first failed statement. The caller then writes the page without
 * those rows, in one transaction with its cursor, as any page.
 */
@ApplicationScoped
public class RefusedRows {

    private final MirrorTables tables;

    RefusedRows(MirrorTables tables) {
        this.tables = tables;
    }

    /**
     * The rows of {@code rows} PostgreSQL refuses, by id, with why; {@code rows} as a whole is known to be refused.
     */
    public <R> Uni<Map<String, DataError>> find(Table<R> table, List<R> rows) {
        Map<String, DataError> refused = new LinkedHashMap<>();
        return halves(table, rows, refused).replaceWith(refused);
    }

    private <R> Uni<Void> halves(Table<R> table, List<R> rows, Map<String, DataError> refused) {
        int middle = rows.size() / 2;
        return part(table, rows.subList(0, middle), refused).chain(() -> part(table, rows.subList(middle, rows.size()),
                refused));
    }

    private <R> Uni<Void> part(Table<R> table, List<R> rows, Map<String, DataError> refused) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return trial(table, rows).chain(error -> {
            if (error == null) {
                return Uni.createFrom().voidItem();
            }
            if (rows.size() == 1) {
                refused.put(table.id(rows.get(0)), error);
                return Uni.createFrom().voidItem();
            }
            return halves(table, rows, refused);
        });
    }

    /** Writes the rows and rolls back; the data error it met, or null when they store. */
    private <R> Uni<DataError> trial(Table<R> table, List<R> rows) {
        return Panache.withTransaction(() -> tables.upsert(table, rows)
                .call(() -> Panache.currentTransaction().invoke(Mutiny.Transaction::markForRollback)))
                .replaceWith((DataError) null)
                .onFailure(DataError::isIn).recoverWithItem(failure -> DataError.in(failure).orElseThrow());
    }
}
