package dev.amocrmsync.simulator;

import java.util.List;

/**
 * The fixed furniture of the simulated account: pipelines with their statuses, custom fields, tags and users. Status
 * 142 (won) and 143 (lost) exist in every pipeline, as in amoCRM.
 */
public final class Catalog {

    public static final long ACCOUNT_ID = 31_415_926;
    public static final long RENTPROG_FIELD_ID = 902_255;
    public static final long WON = 142;
    public static final long LOST = 143;

    public record Status(long id, String name, int sort, int type, String color) {
    }

    public record Pipeline(long id, String name, boolean main, List<Status> statuses) {
    }

    /** A tag: {@code color} null or a hex color. Tags have no update time; the lists page them by id. */
    public record Tag(long id, String name, String color) implements SimRecord {
        @Override
        public long updatedAt() {
            return 0;
        }
    }

    public static final List<Pipeline> PIPELINES = List.of(
            new Pipeline(8_580_102, "Аренда авто", true, statuses(69_586_230)),
            new Pipeline(8_580_106, "Корпоративные клиенты", false, statuses(69_586_250)),
            new Pipeline(8_580_110, "Повторные клиенты", false, statuses(69_586_270)));

    public static final List<Tag> TAGS = List.of(new Tag(501, "сайт", null), new Tag(502, "авито", "#ffdc7f"),
            new Tag(503, "повторный", null), new Tag(504, "VIP", "#ff8f92"), new Tag(505, "аэропорт", null));

    public static final List<Long> USERS = List.of(7_001_001L, 7_001_002L, 7_001_003L, 7_001_004L);

    private Catalog() {
    }

    private static List<Status> statuses(long first) {
        return List.of(new Status(first, "Неразобранное", 10, 1, "#c1c1c1"),
                new Status(first + 1, "Первичный контакт", 20, 0, "#99ccff"),
                new Status(first + 2, "Бронь подтверждена", 30, 0, "#ffff99"),
                new Status(first + 3, "Авто выдано", 40, 0, "#ffcc66"),
                new Status(WON, "Успешно реализовано", 10_000, 0, "#ccff66"),
                new Status(LOST, "Закрыто и не реализовано", 11_000, 0, "#d5d8db"));
    }

    public static Pipeline pipeline(long id) {
        return PIPELINES.stream().filter(p -> p.id() == id).findFirst().orElseThrow();
    }

    /** The label amoCRM shows for a lead in this pipeline and status. */
    public static String statusName(long pipelineId, long statusId) {
        return pipeline(pipelineId).statuses().stream().filter(s -> s.id() == statusId).map(Status::name)
                .findFirst().orElse(null);
    }
}
