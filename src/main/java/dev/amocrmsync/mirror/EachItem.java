package dev.amocrmsync.mirror;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Maps a page item by item: one that cannot be read is quarantined with the reason, the rest of its page is kept. */
public final class EachItem {

    /** One item to one row; may throw when the item cannot be read. */
    @FunctionalInterface
    public interface ToRow<R> {
        R row(Keyed item) throws JsonProcessingException;
    }

    private EachItem() {
    }

    public static <R> RowMapper.Mapped<R> map(List<Keyed> items, String one, ToRow<R> toRow) {
        List<R> rows = new ArrayList<>(items.size());
        List<Quarantined> quarantined = new ArrayList<>();
        for (Keyed item : items) {
            try {
                rows.add(toRow.row(item));
            } catch (JsonProcessingException e) {
                quarantined.add(new Quarantined(Long.toString(item.id()), "cannot read the " + one + ": "
                        + e.getOriginalMessage().lines().findFirst().orElse(""), item.raw()));
            } catch (IllegalArgumentException e) {
                quarantined.add(new Quarantined(Long.toString(item.id()), "cannot read the " + one + ": "
                        + e.getMessage(), item.raw()));
            }
        }
        return new RowMapper.Mapped<>(rows, quarantined);
    }
}
