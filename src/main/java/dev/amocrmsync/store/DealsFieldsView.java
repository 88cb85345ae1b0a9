package dev.amocrmsync.store;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The view {@code amocrm_deals_fields}: {@code amocrm_deal_id}, {@code is_deleted} and one typed column per lead custom
 * field, read from {@code amocrm_deals.metadata -> 'custom_fields_values'} by field id. A value that does not fit its
 * column's type reads as NULL rather than failing the query; the raw value stays in {@code metadata}.
 */
@ApplicationScoped
public class DealsFieldsView {

    public static final String NAME = "amocrm_deals_fields";

    /** How a field's values become a column. */
    public enum Kind {
        NUMERIC,
        BOOLEAN,
        TIMESTAMP,
        TEXT,
        TEXT_ARRAY,
        JSONB
    }

    /** One column: a safe name (lower-case latin, digits, underscores), the field it shows and how. */
    public record Column(String name, long fieldId, Kind kind) {

        public Column {
            if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("not a safe column name: " + name);
            }
        }
    }

    private static final String EXISTS = "SELECT to_regclass(:name) IS NOT NULL";

    /**
     * The view's definition. Dates: amoCRM sends the account's wall clock written as unix seconds as if it were UTC;
     * reading those seconds as UTC wall time and placing it in the account's zone gives the instant the user meant.
     */
    public static String definition(List<Column> columns, String timeZone) {
        if (!timeZone.matches("[A-Za-z0-9_/+-]+")) {
            throw new IllegalArgumentException("not a time zone name: " + timeZone);
        }
        String select = columns.stream().map(c -> expression(c, timeZone) + " AS \"" + c.name() + "\"")
                .collect(Collectors.joining(",\n       "));
        return "CREATE VIEW " + NAME + " AS\nSELECT d.amocrm_deal_id, d.is_deleted"
                + (columns.isEmpty() ? "" : ",\n       " + select) + """

                        FROM amocrm_deals d
                        LEFT JOIN LATERAL (
                            SELECT jsonb_object_agg(f ->> 'field_id', f -> 'values') AS v
                            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(d.metadata -> 'custom_fields_values') = 'array'
                                                           THEN d.metadata -> 'custom_fields_values' END) AS f
                            WHERE jsonb_typeof(f) = 'object' AND f ->> 'field_id' IS NOT NULL
                        ) AS cf ON true""";
    }

    private static String expression(Column column, String timeZone) {
        String values = "(cf.v -> '" + column.fieldId() + "')";
        String first = "(" + values + " -> 0 ->> 'value')";
        String number = "replace(btrim(" + first + "), ',', '.')";
        return switch (column.kind()) {
            case TEXT -> first;
            case NUMERIC ->
                "CASE WHEN " + number + " ~ '^[-+]{0,1}[0-9]+(\\.[0-9]*){0,1}([eE][-+]{0,1}[0-9]+){0,1}$' THEN CAST("
                        + number + " AS numeric) END";
            case BOOLEAN -> "CASE lower(" + first + ") WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false"
                    + " WHEN '0' THEN false END";
            case TIMESTAMP -> "CASE WHEN btrim(" + first + ") ~ '^-{0,1}[0-9]{1,11}$' THEN (to_timestamp(CAST(btrim(" + first
                    + ") AS bigint)) AT TIME ZONE 'UTC') AT TIME ZONE '" + timeZone + "' END";
            case TEXT_ARRAY -> "CASE WHEN jsonb_typeof(" + values + ") = 'array' THEN ARRAY(SELECT e ->> 'value' FROM"
                    + " jsonb_array_elements(" + values + ") AS e) END";
            case JSONB -> values;
        };
    }

    public Uni<Boolean> exists() {
        return Panache.getSession().chain(session -> session.<Boolean> createNativeQuery(EXISTS)
                .setParameter("name", NAME).getSingleResult());
    }

    /** Replaces the view with this definition; callers provide the transaction, so readers never see it missing. */
    public Uni<Void> rebuild(String definition) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("DROP VIEW IF EXISTS " + NAME).executeUpdate()
                        .chain(() -> session.createNativeQuery(definition).executeUpdate()))
                .replaceWithVoid();
    }
}
