package dev.amocrmsync.sync;

/** amoCRM answered a {@code filter[updated_at]} query with leads outside the range: the account ignores the filter. */
final class UpdatedAtFilterIgnored extends RuntimeException {

    UpdatedAtFilterIgnored(long leadId, long updatedAt, long from) {
        super("amoCRM returned lead " + leadId + " updated at " + updatedAt + " for filter[updated_at][from]=" + from
                + ": this account ignores the updated_at filter");
    }
}
