package dev.amocrmsync.simulator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Makes the notes of a car-rental team: text notes, calls both ways (missed ones last 0 seconds and have no
 * recording), integration messages, SMS, files, and a type amoCRM may add tomorrow, each with the {@code params} the API
 * sends for it, keys missing where telephony leaves them out. Every entity type numbers its notes from the same first id,
 * so a lead's note and a contact's note share ids on purpose: a mirror keyed by the note id alone loses notes.
 */
final class NoteGenerator {

    /** A type no client knows yet: it must be stored, not rejected. */
    static final String FUTURE_TYPE = "ai_call_digest";

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String[] TEXTS = { "Клиент просит перезвонить после 18:00", "Залог вернули наличными",
            "Договорились о скидке 5%", "Нужна доставка в \"Шереметьево\", терминал B", "Жалоба: машина грязная 😡",
            "Строка 1\nСтрока 2\tс табом", "Ссылка: https://rent.example.ru/b/42?x=1&y=2", "", "'; DROP TABLE notes; --" };
    private static final String[] CALL_RESULTS = { "Договорились о встрече", "Перезвонить завтра", "Уточнил стоимость",
            "Не заинтересован", "" };
    private static final String[] TELEPHONY = { "Mango Office", "Zadarma", "Телфин" };
    private static final String[] SERVICES = { "RentProg", "Wazzup", "Sipuni" };
    private static final String[] FILES = { "Договор аренды.pdf", "паспорт_скан.jpg", "Акт приёма-передачи.docx",
            "photo 2024-05-01 12.30.45.png" };
    private static final int[] MISSED_STATUSES = { 1, 2, 3, 5, 6, 6, 7, 7 };

    private final Random random;
    private final Map<String, Long> nextIds = new HashMap<>();
    private final long firstId;

    NoteGenerator(long seed, long firstId) {
        this.random = new Random(seed);
        this.firstId = firstId;
    }

    Random random() {
        return random;
    }

    /** A note of the type a sales team would leave on this kind of entity. */
    SimNote note(String entity, long parentId, long createdAt, long updatedAt) {
        return note(entity, parentId, typeFor(entity), createdAt, updatedAt);
    }

    SimNote note(String entity, long parentId, String type, long createdAt, long updatedAt) {
        long author = type.equals("service_message") || type.equals(FUTURE_TYPE) ? 0 : user();
        return new SimNote(nextId(entity), entity, parentId, author, random.nextInt(3) == 0 ? user() : author,
                createdAt, updatedAt, author == 0 ? user() : author, 0, type, params(type), random.nextInt(25) == 0);
    }

    /** A call: in or out, answered (a conversation with a recording) or missed (0 seconds, no recording). */
    SimNote call(String entity, long parentId, boolean incoming, boolean answered, long at) {
        long user = user();
        return new SimNote(nextId(entity), entity, parentId, user, user, at, at, user, 0, incoming ? "call_in"
                : "call_out", callParams(answered, user), false);
    }

    /** The note after a salesperson touched it at {@code at}: new text, a call result written, or (un)pinned. */
    SimNote edit(SimNote note, long at) {
        return switch (note.noteType()) {
            case "common" -> note.edited(text(pick(TEXTS) + " (изм.)"), note.isPinned(), at, user());
            case "call_in", "call_out" -> note.edited(note.paramsJson().replaceFirst(
                    "\"call_result\":\"[^\"]*\"", "\"call_result\":\"Перезвонил, " + at % 1000 + "\""),
                    note.isPinned(), at, user());
            default -> note.edited(note.paramsJson(), !note.isPinned(), at, user());
        };
    }

    private long nextId(String entity) {
        long id = nextIds.getOrDefault(entity, firstId);
        nextIds.put(entity, id + 1);
        return id;
    }

    private String typeFor(String entity) {
        int draw = random.nextInt(100);
        return switch (entity) {
            case "companies" -> draw < 60 ? "common" : draw < 85 ? "service_message" : "attachment";
            case "contacts" -> draw < 35 ? "common"
                    : draw < 55 ? "call_in"
                            : draw < 80 ? "call_out"
                                    : draw < 85 ? "sms_in" : draw < 90 ? "sms_out" : draw < 97 ? "attachment" : FUTURE_TYPE;
            default -> draw < 35 ? "common"
                    : draw < 47 ? "call_in"
                            : draw < 65 ? "call_out"
                                    : draw < 75 ? "service_message"
                                            : draw < 79 ? "sms_in"
                                                    : draw < 83 ? "sms_out"
                                                            : draw < 95 ? "attachment" : FUTURE_TYPE;
        };
    }

    private String params(String type) {
        return switch (type) {
            case "common" -> text(pick(TEXTS));
            case "call_in", "call_out" -> callParams(random.nextInt(10) < 7, user());
            case "service_message" -> render(json -> {
                json.writeStartObject();
                json.writeStringField("service", pick(SERVICES));
                json.writeStringField("text", "Бронь №" + (470_000 + random.nextInt(30_000)) + " подтверждена");
                json.writeEndObject();
            });
            case "sms_in", "sms_out" -> render(json -> {
                json.writeStartObject();
                json.writeStringField("text", random.nextBoolean() ? "Ваш автомобиль готов к выдаче" : "Спасибо, буду");
                json.writeStringField("phone", phone());
                json.writeEndObject();
            });
            case "attachment" -> render(json -> {
                json.writeStartObject();
                String file = pick(FILES);
                json.writeStringField("original_name", file);
                json.writeStringField("file_name", uuid() + file.substring(file.lastIndexOf('.')));
                json.writeStringField("file_uuid", uuid());
                json.writeStringField("version_uuid", uuid());
                json.writeBooleanField("is_drive_attachment", random.nextBoolean());
                json.writeEndObject();
            });
            default -> render(json -> {
                json.writeStartObject();
                json.writeStringField("text", "Клиент спросил про детское кресло; менеджер пообещал перезвонить");
                json.writeObjectFieldStart("model");
                json.writeStringField("name", "digest-2");
                json.writeNumberField("confidence", 0.87);
                json.writeEndObject();
                json.writeArrayFieldStart("topics");
                json.writeString("кресло");
                json.writeString("цена");
                json.writeEndArray();
                json.writeEndObject();
            });
        };
    }

    private String callParams(boolean answered, long user) {
        return render(json -> {
            json.writeStartObject();
            String uniq = uuid();
            json.writeStringField("uniq", uniq);
            json.writeNumberField("duration", answered ? 15 + random.nextInt(900) : 0);
            json.writeStringField("source", pick(TELEPHONY));
            if (answered) {
                json.writeStringField("link", "https://records.rent.example/" + uniq + ".mp3");
            }
            json.writeStringField("phone", phone());
            if (random.nextInt(6) > 0) {
                // telephony integrations leave the result out now and then
                json.writeStringField("call_result", answered ? pick(CALL_RESULTS) : "");
            }
            json.writeNumberField("call_status", answered ? 4 : MISSED_STATUSES[random.nextInt(MISSED_STATUSES.length)]);
            json.writeNumberField("call_responsible", user);
            json.writeEndObject();
        });
    }

    private String text(String text) {
        return render(json -> {
            json.writeStartObject();
            json.writeStringField("text", text);
            json.writeEndObject();
        });
    }

    private String phone() {
        String digits = Integer.toString(10_000_000 + random.nextInt(10_000_000)).substring(1);
        int operator = 900 + random.nextInt(100);
        return switch (random.nextInt(3)) {
            case 0 -> "+7" + operator + digits;
            case 1 -> "8 (" + operator + ") " + digits.substring(0, 3) + "-" + digits.substring(3);
            default -> "7" + operator + digits;
        };
    }

    /** A random UUID (version 4 shape) from the seeded source; built by hand: String.format costs more than the note. */
    private String uuid() {
        String high = hex16(random.nextLong()), low = hex16(random.nextLong());
        return high.substring(0, 8) + "-" + high.substring(8, 12) + "-4" + high.substring(13) + "-a"
                + low.substring(1, 4) + "-" + low.substring(4);
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    long user() {
        return Catalog.USERS.get(random.nextInt(Catalog.USERS.size()));
    }

    private static String render(LeadJson.Body body) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
