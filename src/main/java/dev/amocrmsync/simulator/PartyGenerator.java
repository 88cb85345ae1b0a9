package dev.amocrmsync.simulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Makes the clients of a car-rental team: contacts with phones and e-mails typed in as people type them
 * ({@code "+7 (912) 345-67-89"}, {@code "8 912 345 6789"}, {@code "Ivan@Example.RU "}) and companies with phone,
 * e-mail, web site and address, all as the multitext and text custom fields amoCRM sends, with their field catalogs.
 */
final class PartyGenerator {

    static final long CONTACT_PHONE = 1_100_001, CONTACT_EMAIL = 1_100_003, CONTACT_POSITION = 1_100_005,
            CONTACT_BIRTHDAY = 1_100_007, CONTACT_EXPERIENCE = 1_100_009, CONTACT_SOURCE = 1_100_011;
    static final long COMPANY_PHONE = 1_200_001, COMPANY_EMAIL = 1_200_003, COMPANY_WEB = 1_200_005,
            COMPANY_ADDRESS = 1_200_007, COMPANY_INN = 1_200_009, COMPANY_INDUSTRY = 1_200_011;

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String[] PHONE_CODES = { "WORK", "WORKDD", "MOB", "FAX", "HOME", "OTHER" };
    private static final String[] EMAIL_CODES = { "WORK", "PRIV", "OTHER" };
    private static final String[] FIRST = { "Иван", "Анна", "Сергей", "Мария", "Алексей", "Ольга", "Дмитрий", "Елена",
            "Тимур", "Gülnara", "John", "Ёлка" };
    private static final String[] LAST = { "Петров", "Смирнова", "Ким", "O'Neil", "Орлов", "Белова", "Иванов-Сидоров",
            "Кузнецова", "", "Smith" };
    private static final String[] LATIN = { "ivan", "anna", "sergey", "maria", "alexey", "olga", "dima", "elena",
            "timur", "gulnara", "john", "yolka" };
    private static final String[] MAIL_HOSTS = { "mail.ru", "yandex.ru", "gmail.com", "Example.RU", "bk.ru" };
    private static final String[] POSITIONS = { "Директор", "Менеджер по закупкам", "Бухгалтер", "Водитель", "" };
    private static final String[] SOURCES = { "Сайт", "Авито", "Рекомендация" };
    private static final String[] COMPANY_KINDS = { "ООО", "АО", "ИП", "ООО", "" };
    private static final String[] COMPANY_WORDS = { "Вектор", "Логистик-Плюс", "Северный ветер", "Rent & Go",
            "ТрансАвто", "Ромашка", "Альфа \"Строй\"", "Уральские дороги" };
    private static final String[] INDUSTRIES = { "Логистика", "Туризм", "Строительство" };
    private static final String[] STREETS = { "ул. Ленина, д. 5, оф. 12", "пр-т Мира 101к2",
            "Екатеринбург, ул. 8 Марта, 46", "Москва,\nПресненская наб., 12", "г. Казань ул Баумана 1" };

    private final Random random;
    private long nextContactId;
    private long nextCompanyId;

    PartyGenerator(long seed, long firstContactId, long firstCompanyId) {
        this.random = new Random(seed ^ 0xC0FFEE);
        this.nextContactId = firstContactId;
        this.nextCompanyId = firstCompanyId;
    }

    Random random() {
        return random;
    }

    SimContact contact(long createdAt, long updatedAt, Long companyId) {
        int who = random.nextInt(FIRST.length);
        String first = FIRST[who];
        String last = LAST[random.nextInt(LAST.length)];
        String name = random.nextInt(30) == 0 ? "" : (first + " " + last).strip();
        return new SimContact(nextContactId++, name, first, last, user(), 0, user(),
                random.nextBoolean() ? 0 : Catalog.USERS.get(0), createdAt, updatedAt, contactFields(who), companyId,
                tags());
    }

    SimContact edit(SimContact contact, long at) {
        String name = contact.name().isEmpty() ? contact.name()
                : contact.name().replaceAll(" #\\d+$", "") + " #" + at % 1000;
        int who = java.util.Arrays.asList(FIRST).indexOf(contact.firstName());
        return contact.edited(name, contact.firstName(), contact.lastName(),
                random.nextInt(4) == 0 ? contact.customFieldsJson() : contactFields(Math.max(0, who)), at);
    }

    SimCompany company(long createdAt, long updatedAt) {
        String kind = COMPANY_KINDS[random.nextInt(COMPANY_KINDS.length)];
        String word = COMPANY_WORDS[random.nextInt(COMPANY_WORDS.length)];
        String name = kind.isEmpty() ? word : kind + " «" + word + "»";
        return new SimCompany(nextCompanyId++, name, user(), 0, user(), random.nextBoolean() ? 0 : Catalog.USERS.get(0),
                createdAt, updatedAt, companyFields(), tags());
    }

    SimCompany edit(SimCompany company, long at) {
        String name = company.name().replaceAll(" #\\d+$", "") + " #" + at % 1000;
        return company.edited(name, random.nextInt(4) == 0 ? company.customFieldsJson() : companyFields(), at);
    }

    private long user() {
        return Catalog.USERS.get(random.nextInt(Catalog.USERS.size()));
    }

    private List<Long> tags() {
        return random.nextInt(3) == 0 ? List.of(Catalog.TAGS.get(random.nextInt(Catalog.TAGS.size())).id()) : List.of();
    }

    private String contactFields(int who) {
        if (random.nextInt(20) == 0) {
            return null;
        }
        return render(json -> {
            json.writeStartArray();
            int phones = random.nextInt(10) == 0 ? 2 : 1;
            startField(json, CONTACT_PHONE, "Телефон", "PHONE", "multitext");
            for (int i = 0; i < phones; i++) {
                multitext(json, phone(), 1_110_001, PHONE_CODES, i == 0 ? 2 : random.nextInt(PHONE_CODES.length));
            }
            endField(json);
            if (random.nextInt(3) > 0) {
                startField(json, CONTACT_EMAIL, "Email", "EMAIL", "multitext");
                multitext(json, email(LATIN[who]), 1_110_011, EMAIL_CODES, random.nextInt(2));
                endField(json);
            }
            if (random.nextBoolean()) {
                startField(json, CONTACT_POSITION, "Должность", "POSITION", "text");
                value(json, POSITIONS[random.nextInt(POSITIONS.length)]);
                endField(json);
            }
            if (random.nextInt(4) == 0) {
                // a birthday as amoCRM sends it: the account's midnight written as if it were UTC
                long day = 86_400L * (3_000 + random.nextInt(12_000));
                startField(json, CONTACT_BIRTHDAY, "Дата рождения", null, "birthday");
                json.writeStartObject();
                json.writeNumberField("value", day);
                json.writeEndObject();
                endField(json);
            }
            if (random.nextInt(3) == 0) {
                startField(json, CONTACT_EXPERIENCE, "Водительский стаж, лет", null, "numeric");
                value(json, Integer.toString(1 + random.nextInt(30)));
                endField(json);
            }
            if (random.nextBoolean()) {
                int source = random.nextInt(SOURCES.length);
                startField(json, CONTACT_SOURCE, "Источник", null, "select");
                json.writeStartObject();
                json.writeStringField("value", SOURCES[source]);
                json.writeNumberField("enum_id", 1_110_021 + source);
                json.writeEndObject();
                endField(json);
            }
            json.writeEndArray();
        });
    }

    private String companyFields() {
        if (random.nextInt(15) == 0) {
            return null;
        }
        return render(json -> {
            json.writeStartArray();
            startField(json, COMPANY_PHONE, "Телефон", "PHONE", "multitext");
            multitext(json, phone(), 1_210_001, PHONE_CODES, 0);
            if (random.nextInt(4) == 0) {
                multitext(json, phone(), 1_210_001, PHONE_CODES, 3);
            }
            endField(json);
            String site = COMPANY_WORDS[random.nextInt(COMPANY_WORDS.length)].toLowerCase().replaceAll("[^a-zа-я]", "");
            if (random.nextInt(3) > 0) {
                startField(json, COMPANY_EMAIL, "Email", "EMAIL", "multitext");
                multitext(json, random.nextBoolean() ? "INFO@RENT-" + site.length() + ".RU" : email("office"), 1_210_011,
                        EMAIL_CODES, 0);
                endField(json);
            }
            if (random.nextBoolean()) {
                startField(json, COMPANY_WEB, "Web", "WEB", "url");
                value(json, random.nextBoolean() ? "https://rent" + site.length() + ".example.ru/" : "www.rent.example");
                endField(json);
            }
            if (random.nextBoolean()) {
                startField(json, COMPANY_ADDRESS, "Адрес", "ADDRESS", "textarea");
                value(json, STREETS[random.nextInt(STREETS.length)]);
                endField(json);
            }
            if (random.nextInt(3) == 0) {
                startField(json, COMPANY_INN, "ИНН", null, "text");
                value(json, Long.toString(7_700_000_000L + random.nextInt(99_999_999)));
                endField(json);
            }
            if (random.nextInt(3) == 0) {
                int industry = random.nextInt(INDUSTRIES.length);
                startField(json, COMPANY_INDUSTRY, "Отрасль", null, "select");
                json.writeStartObject();
                json.writeStringField("value", INDUSTRIES[industry]);
                json.writeNumberField("enum_id", 1_210_021 + industry);
                json.writeEndObject();
                endField(json);
            }
            json.writeEndArray();
        });
    }

    /** One Russian mobile number, written the way people type them into a CRM. */
    private String phone() {
        int operator = 900 + random.nextInt(100);
        int rest = random.nextInt(10_000_000);
        String digits = Integer.toString(10_000_000 + rest).substring(1);
        String a = digits.substring(0, 3), b = digits.substring(3, 5), c = digits.substring(5);
        return switch (random.nextInt(7)) {
            case 0 -> "+7 (" + operator + ") " + a + "-" + b + "-" + c;
            case 1 -> "8 " + operator + " " + a + " " + b + c;
            case 2 -> "8" + operator + digits;
            case 3 -> "+7" + operator + digits;
            case 4 -> "7-" + operator + "-" + a + "-" + b + "-" + c;
            case 5 -> " +7 " + operator + " " + a + " " + b + " " + c + " ";
            default -> "+7 (" + operator + ") " + a + "-" + b + "-" + c + " доб. " + (10 + random.nextInt(90));
        };
    }

    private String email(String local) {
        String host = MAIL_HOSTS[random.nextInt(MAIL_HOSTS.length)];
        return switch (random.nextInt(4)) {
            case 0 -> Character.toUpperCase(local.charAt(0)) + local.substring(1) + "@" + host + " ";
            case 1 -> " " + local + "." + (random.nextInt(90) + 10) + "@" + host;
            case 2 -> (local + "@" + host).toUpperCase();
            default -> local + "_" + random.nextInt(1_000) + "@" + host.toLowerCase();
        };
    }

    private static void startField(JsonGenerator json, long id, String name, String code, String type)
            throws IOException {
        json.writeStartObject();
        json.writeNumberField("field_id", id);
        json.writeStringField("field_name", name);
        json.writeStringField("field_code", code);
        json.writeStringField("field_type", type);
        json.writeArrayFieldStart("values");
    }

    private static void endField(JsonGenerator json) throws IOException {
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void value(JsonGenerator json, String value) throws IOException {
        json.writeStartObject();
        json.writeStringField("value", value);
        json.writeEndObject();
    }

    private static void multitext(JsonGenerator json, String value, long firstEnumId, String[] codes, int code)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("value", value);
        json.writeNumberField("enum_id", firstEnumId + code);
        json.writeStringField("enum_code", codes[code]);
        json.writeEndObject();
    }

    /** Renders straight into a string: tens of thousands of these are made at once, so no byte buffers between. */
    private static String render(LeadJson.Body body) {
        java.io.StringWriter out = new java.io.StringWriter(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The contact custom-field catalog, as {@code GET /api/v4/contacts/custom_fields} lists the fields above. */
    static List<SimCatalogs.Field> contactCatalog() {
        return List.of(
                new SimCatalogs.Field(CONTACT_PHONE, "Телефон", "multitext", "PHONE", 4, false, enums(1_110_001, PHONE_CODES)),
                new SimCatalogs.Field(CONTACT_EMAIL, "Email", "multitext", "EMAIL", 6, false, enums(1_110_011, EMAIL_CODES)),
                new SimCatalogs.Field(CONTACT_POSITION, "Должность", "text", "POSITION", 2, false, null),
                new SimCatalogs.Field(CONTACT_BIRTHDAY, "Дата рождения", "birthday", null, 510, false, null),
                new SimCatalogs.Field(CONTACT_EXPERIENCE, "Водительский стаж, лет", "numeric", null, 511, false, null),
                new SimCatalogs.Field(CONTACT_SOURCE, "Источник", "select", null, 512, false, enums(1_110_021, SOURCES)));
    }

    /** The company custom-field catalog, as {@code GET /api/v4/companies/custom_fields} lists the fields above. */
    static List<SimCatalogs.Field> companyCatalog() {
        return List.of(
                new SimCatalogs.Field(COMPANY_PHONE, "Телефон", "multitext", "PHONE", 4, false, enums(1_210_001, PHONE_CODES)),
                new SimCatalogs.Field(COMPANY_EMAIL, "Email", "multitext", "EMAIL", 6, false, enums(1_210_011, EMAIL_CODES)),
                new SimCatalogs.Field(COMPANY_WEB, "Web", "url", "WEB", 8, false, null),
                new SimCatalogs.Field(COMPANY_ADDRESS, "Адрес", "textarea", "ADDRESS", 10, false, null),
                new SimCatalogs.Field(COMPANY_INN, "ИНН", "text", null, 510, false, null),
                new SimCatalogs.Field(COMPANY_INDUSTRY, "Отрасль", "select", null, 511, false, enums(1_210_021, INDUSTRIES)));
    }

    private static List<SimCatalogs.Enum> enums(long firstId, String[] values) {
        List<SimCatalogs.Enum> enums = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            enums.add(new SimCatalogs.Enum(firstId + i, values[i], 2 * (i + 1)));
        }
        return enums;
    }
}
