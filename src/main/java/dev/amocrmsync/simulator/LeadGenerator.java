package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Makes leads that look like a car-rental sales team's: Russian names, prices, statuses across three pipelines, and
 * custom fields of every type with the JSON value types amoCRM really sends (numbers as strings, dates as integers,
 * checkboxes as booleans, legal entities as objects), sometimes none at all ({@code custom_fields_values: null}).
 */
final class LeadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] CARS = { "Hyundai Solaris", "Kia Rio", "Toyota Camry", "Skoda Octavia",
            "Volkswagen Polo", "Haval Jolion", "Lada Vesta" };
    private static final String[] PEOPLE = { "Иван Петров", "Анна Смирнова", "ООО «Вектор»", "Сергей Ким",
            "Мария O'Neil", "Алексей \"Лёша\" Орлов", "Ольга 🚗 Белова", "" };
    private static final String[] COMMENTS = { "Перезвонить после 18:00", "Нужно детское кресло",
            "Клиент просит \"без залога\"; обсудить", "Доставка в аэропорт\nрейс SU 1234", "'; DROP TABLE amocrm_deals; --",
            "Всё ок 👍" };

    private final Random random;
    private long nextId;

    LeadGenerator(long seed, long firstId) {
        this.random = new Random(seed);
        this.nextId = firstId;
    }

    SimLead lead(long createdAt, long updatedAt) {
        Catalog.Pipeline pipeline = Catalog.PIPELINES.get(random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(2));
        Catalog.Status status = pipeline.statuses().get(random.nextInt(pipeline.statuses().size()));
        boolean closed = status.id() == Catalog.WON || status.id() == Catalog.LOST;
        String car = CARS[random.nextInt(CARS.length)];
        String person = PEOPLE[random.nextInt(PEOPLE.length)];
        String name = random.nextInt(40) == 0 ? "" : "Аренда " + car + (person.isEmpty() ? "" : " — " + person);
        // links come from the account, which knows its contacts and companies; the draws that once made up their ids
        // stay, so a seed still makes the leads it always made
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            random.nextInt(5_000_000);
        }
        List<Long> tags = new ArrayList<>();
        if (random.nextBoolean()) {
            tags.add(Catalog.TAGS.get(random.nextInt(Catalog.TAGS.size())).id());
        }
        return new SimLead(nextId++, name, 1_500L * (1 + random.nextInt(60)),
                Catalog.USERS.get(random.nextInt(Catalog.USERS.size())), status.id(), pipeline.id(),
                status.id() == Catalog.LOST ? Long.valueOf(9_100 + random.nextInt(4)) : null,
                Catalog.USERS.get(random.nextInt(Catalog.USERS.size())), random.nextBoolean() ? 0 : Catalog.USERS.get(0),
                createdAt, updatedAt, closed ? Long.valueOf(updatedAt) : null,
                random.nextInt(3) == 0 ? Long.valueOf(updatedAt + 86_400) : null, customFields(car),
                List.of(), noCompany(), tags);
    }

    /** No company (the account links them): only the draws that once picked one, in their old place. */
    private Long noCompany() {
        if (random.nextInt(4) == 0) {
            random.nextInt(100_000);
        }
        return null;
    }

    /** The same lead after a salesperson touched it at {@code at}. */
    SimLead edit(SimLead lead, long at) {
        Catalog.Pipeline pipeline = Catalog.pipeline(lead.pipelineId());
        Catalog.Status status = pipeline.statuses().get(random.nextInt(pipeline.statuses().size()));
        boolean closed = status.id() == Catalog.WON || status.id() == Catalog.LOST;
        String name = lead.name().isEmpty() ? lead.name() : lead.name().replaceAll(" #\\d+$", "") + " #" + at % 1000;
        return lead.edited(name, lead.price() + 100L * random.nextInt(20), status.id(), closed ? Long.valueOf(at) : null,
                random.nextInt(5) == 0 ? lead.customFieldsJson() : customFields(CARS[random.nextInt(CARS.length)]), at);
    }

    /** Custom fields with one value of every type amoCRM has; {@code null} for a lead that has none filled. */
    String customFields(String car) {
        if (random.nextInt(8) == 0) {
            return null;
        }
        ArrayNode fields = NODES.arrayNode();
        int bookingId = 470_000 + random.nextInt(30_000);
        if (random.nextInt(5) > 0) {
            // the same field arrives as a string on one account and as a number on another
            fields.add(field(Catalog.RENTPROG_FIELD_ID, "RentProg ID", "text",
                    value(random.nextBoolean() ? NODES.textNode(Integer.toString(bookingId)) : NODES.numberNode(bookingId))));
        }
        fields.add(field(902_257, "Автомобиль", "select", value(NODES.textNode(car)).put("enum_id", carEnumId(car))));
        // dates as amoCRM sends them: the account's wall clock (Europe/Moscow) written as if it were UTC, so a date is
        // a multiple of 86,400 and a date_time reads 3 hours late when taken for an instant (docs/catalogs.md)
        long start = 1_700_000_000L + random.nextInt(60_000_000);
        fields.add(field(902_259, "Дата начала аренды", "date", value(NODES.numberNode(start - start % 86_400))));
        fields.add(field(902_261, "Возврат авто", "date_time", value(NODES.numberNode(start + 3 * 86_400))));
        fields.add(field(902_263, "Доставка", "checkbox", value(NODES.booleanNode(random.nextBoolean()))));
        fields.add(
                field(902_265, "Залог", "numeric", value(NODES.textNode(Integer.toString(5_000 * (1 + random.nextInt(6)))))));
        if (random.nextBoolean()) {
            fields.add(field(902_267, "Комментарий", "textarea",
                    value(NODES.textNode(COMMENTS[random.nextInt(COMMENTS.length)]))));
        }
        if (random.nextBoolean()) {
            fields.add(field(902_269, "Доп. услуги", "multiselect",
                    value(NODES.textNode("Детское кресло")).put("enum_id", 1_800_001),
                    value(NODES.textNode("Доставка")).put("enum_id", 1_800_002)));
        }
        fields.add(field(902_271, "Телефон", "multitext",
                value(NODES.textNode("+7 9" + (100_000_000 + random.nextInt(899_999_999)))).put("enum_code", "MOB")));
        if (random.nextInt(6) == 0) {
            ObjectNode entity = NODES.objectNode().put("name", "ООО «Вектор»").put("entity_type", "legal")
                    .put("vat_id", "7701234567");
            fields.add(field(902_273, "Реквизиты", "legal_entity", value(entity)));
        }
        try {
            return JSON.writeValueAsString(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lead custom-field catalog, as {@code GET /api/v4/leads/custom_fields} lists what the leads above carry. */
    static List<SimCatalogs.Field> leadFields() {
        List<SimCatalogs.Enum> cars = new ArrayList<>();
        for (String car : CARS) {
            cars.add(new SimCatalogs.Enum(carEnumId(car), car, 10 * cars.size() + 10));
        }
        List<SimCatalogs.Enum> extras = List.of(new SimCatalogs.Enum(1_800_001, "Детское кресло", 10),
                new SimCatalogs.Enum(1_800_002, "Доставка", 20), new SimCatalogs.Enum(1_800_003, "Второй водитель", 30));
        List<SimCatalogs.Enum> phones = List.of(new SimCatalogs.Enum(1_900_001, "WORK", 2),
                new SimCatalogs.Enum(1_900_002, "MOB", 4), new SimCatalogs.Enum(1_900_003, "OTHER", 6));
        return List.of(new SimCatalogs.Field(Catalog.RENTPROG_FIELD_ID, "RentProg ID", "text", null, 510, true, null),
                new SimCatalogs.Field(902_257, "Автомобиль", "select", null, 511, false, cars),
                new SimCatalogs.Field(902_259, "Дата начала аренды", "date", null, 512, false, null),
                new SimCatalogs.Field(902_261, "Возврат авто", "date_time", null, 513, false, null),
                new SimCatalogs.Field(902_263, "Доставка", "checkbox", null, 514, false, null),
                new SimCatalogs.Field(902_265, "Залог", "numeric", null, 515, false, null),
                new SimCatalogs.Field(902_267, "Комментарий", "textarea", null, 516, false, null),
                new SimCatalogs.Field(902_269, "Доп. услуги", "multiselect", null, 517, false, extras),
                new SimCatalogs.Field(902_271, "Телефон", "multitext", null, 518, false, phones),
                new SimCatalogs.Field(902_273, "Реквизиты", "legal_entity", null, 519, false, null));
    }

    private static long carEnumId(String car) {
        return 1_700_001 + java.util.Arrays.asList(CARS).indexOf(car);
    }

    private static ObjectNode field(long id, String name, String type, ObjectNode... values) {
        ObjectNode field = NODES.objectNode().put("field_id", id).put("field_name", name).putNull("field_code")
                .put("field_type", type);
        ArrayNode array = field.putArray("values");
        for (ObjectNode v : values) {
            array.add(v);
        }
        return field;
    }

    private static ObjectNode value(com.fasterxml.jackson.databind.JsonNode node) {
        ObjectNode value = NODES.objectNode();
        value.set("value", node);
        return value;
    }

    Random random() {
        return random;
    }
}
