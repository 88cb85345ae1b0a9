package dev.amocrmsync.catalog;

import dev.amocrmsync.catalog.FieldsView.Kind;

/** The column type a custom field's type gets in the fields view. */
final class FieldKinds {

    private FieldKinds() {
    }

    static Kind of(String type) {
        return switch (type == null ? "" : type) {
            case "numeric", "price", "monetary" -> Kind.NUMERIC;
            case "checkbox" -> Kind.BOOLEAN;
            case "date", "date_time", "birthday" -> Kind.TIMESTAMP;
            case "select", "radiobutton", "text", "textarea", "url" -> Kind.TEXT;
            case "multiselect", "multitext" -> Kind.TEXT_ARRAY;
            default -> Kind.JSONB;
        };
    }
}
