package dev.amocrmsync.scan;

/** amoCRM answered a {@code filter[updated_at]} query with items outside the range: the account ignores the filter. */
public final class UpdatedAtFilterIgnored extends RuntimeException {

    UpdatedAtFilterIgnored(long id, long updatedAt, long from) {
        super("amoCRM returned id " + id + " updated at " + updatedAt + " for filter[updated_at][from]=" + from
                + ": this account ignores the updated_at filter");
    }
}
