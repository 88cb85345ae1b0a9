package dev.amocrmsync.simulator;

import java.util.Random;

/**
 * Makes a car-rental team's tasks: follow-ups and meetings and two task types of the account's own (large ids), with
 * deadlines that crowd at the end of a working day, as people set them, so many tasks share one
 * {@code complete_till}.
 */
final class TaskGenerator {

    /** The built-in types, with fixed ids, and the account's own ones. */
    static final long FOLLOW_UP = 1, MEETING = 2, SEND_CONTRACT = 3_125_401, CHECK_PAYMENT = 3_125_402;

    private static final long[] TYPES = { FOLLOW_UP, FOLLOW_UP, FOLLOW_UP, MEETING, SEND_CONTRACT, CHECK_PAYMENT };
    private static final String[] TEXTS = { "Перезвонить клиенту", "Уточнить даты аренды", "Встреча в офисе выдачи",
            "Отправить договор на e-mail", "Проверить оплату залога", "Напомнить про возврат авто\nзавтра до 12:00",
            "Follow-up: \"VIP\" клиент", "Согласовать доставку в аэропорт ✈", "" };
    private static final String[] RESULTS = { "Дозвонился, договорились", "Не берёт трубку", "Оплата получена",
            "Клиент отказался; причина — цена", "Готово 👍" };
    private static final long MOSCOW = 3 * 3_600;

    private final Random random;
    private long nextId;

    TaskGenerator(long seed, long firstId) {
        this.random = new Random(seed);
        this.nextId = firstId;
    }

    Random random() {
        return random;
    }

    /**
     * A task created at {@code createdAt}, last changed at {@code updatedAt}, on this entity (both null: on nothing);
     * {@code now} decides whether its deadline has passed, and so how likely it is done.
     */
    SimTask task(long createdAt, long updatedAt, String entityType, Long entityId, long now) {
        long type = TYPES[random.nextInt(TYPES.length)];
        long completeTill = deadline(createdAt);
        // every roll drawn whatever the clock says: the draws after this task stay those of the seed at any hour
        int completionRoll = random.nextInt(100), resultRoll = random.nextInt(10);
        String resultText = RESULTS[random.nextInt(RESULTS.length)];
        boolean completed = completionRoll < (completeTill < now ? 75 : 10);
        String result = completed && resultRoll < 6 ? resultText : null;
        long author = random.nextInt(8) == 0 ? 0 : user();
        return new SimTask(nextId++, author, random.nextBoolean() ? author : user(), createdAt, updatedAt, user(), 0,
                entityType, entityId, type == MEETING ? 1_800L * (1 + random.nextInt(4)) : 0, completed, type,
                TEXTS[random.nextInt(TEXTS.length)], result, completeTill);
    }

    /** The same task after a salesperson changed its text or moved its deadline at {@code at}. */
    SimTask edit(SimTask task, long at) {
        String text = random.nextBoolean() ? TEXTS[random.nextInt(TEXTS.length)] : task.text();
        return task.edited(text, random.nextBoolean() ? deadline(at) : task.completeTill(), at, user());
    }

    /** The task done at {@code at}, with a result written about half the time. */
    SimTask complete(SimTask task, long at) {
        return task.completed(random.nextBoolean() ? RESULTS[random.nextInt(RESULTS.length)] : null, at, user());
    }

    /** An hour to a week after {@code from}; often the end of that working day (23:59 in Moscow), shared by many. */
    private long deadline(long from) {
        long at = from + 3_600 + random.nextInt(7 * 86_400);
        if (random.nextInt(5) < 2) {
            long day = Math.floorDiv(at + MOSCOW, 86_400);
            return day * 86_400 + 86_399 - MOSCOW;
        }
        return at - at % 60;
    }

    long user() {
        return Catalog.USERS.get(random.nextInt(Catalog.USERS.size()));
    }
}
