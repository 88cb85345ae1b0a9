package dev.amocrmsync.simulator;

import java.util.List;

/**
 * The list parameters every entity list of API v4 takes alike ({@code /leads}, {@code /contacts},
 * {@code /companies}); null fields were not sent.
 */
public record ListQuery(Long updatedFrom, Long updatedTo, List<Long> ids, String orderField, boolean descending,
        int page, int limit) {

    /** The page size amoCRM applies: at most 250, anything else (missing, zero, larger) silently the default 50. */
    int pageSize() {
        return limit <= 0 || limit > 250 ? 50 : limit;
    }

    int pageNumber() {
        return Math.max(1, page);
    }
}
