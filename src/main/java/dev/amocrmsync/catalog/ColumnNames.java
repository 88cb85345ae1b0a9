package dev.amocrmsync.catalog;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Column names for custom fields, from their names in the catalog. The rule:
 * <ol>
 * <li>the field name is transliterated (Russian letters to Latin, accents dropped), lower-cased, every run of other
 * characters becomes one {@code _}, leading and trailing {@code _} are cut; empty gives {@code field}, a leading digit
 * gets {@code f_}; at most 63 characters (PostgreSQL's limit);</li>
 * <li>a name held by one field alone is used as is; when several fields share it, the one with the lowest id keeps it
 * and the others get {@code _<field id>} appended (the base shortened to fit 63), so adding a field never renames an
 * existing column; a name of the view's own columns (its id column such as {@code amocrm_deal_id}, {@code is_deleted})
 * is always suffixed;</li>
 * <li>a name depends only on the catalog's (id, name) pairs, never on the order amoCRM lists them.</li>
 * </ol>
 */
public final class ColumnNames {

    static final int MAX = 63;
    static final Set<String> RESERVED = Set.of("amocrm_deal_id", "is_deleted");
    private static final Map<Character, String> CYRILLIC = cyrillic();

    public record Named(long id, String name) {
    }

    private ColumnNames() {
    }

    /** Field id to column name, for every field given, in the deals' view. */
    public static Map<Long, String> of(List<Named> fields) {
        return of(fields, RESERVED);
    }

    /** Field id to column name, for every field given, in a view whose own columns are {@code reserved}. */
    public static Map<Long, String> of(List<Named> fields, Set<String> reserved) {
        List<Named> byId = fields.stream().sorted(Comparator.comparingLong(Named::id)).toList();
        Map<String, List<Named>> groups = byId.stream()
                .collect(Collectors.groupingBy(f -> base(f.name()), LinkedHashMap::new, Collectors.toList()));
        Map<Long, String> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>(reserved);
        groups.forEach((base, group) -> {
            if (!reserved.contains(base)) {
                names.put(group.get(0).id(), base);
                taken.add(base);
            }
        });
        for (Named field : byId) {
            if (!names.containsKey(field.id())) {
                String name = suffixed(base(field.name()), Long.toString(field.id()));
                while (!taken.add(name)) {
                    name = suffixed(name, "x");
                }
                names.put(field.id(), name);
            }
        }
        return names;
    }

    /** The readable part of a column name (rule 1). */
    static String base(String fieldName) {
        StringBuilder latin = new StringBuilder();
        for (char c : String.valueOf(fieldName == null ? "" : fieldName).toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            latin.append(CYRILLIC.getOrDefault(c, String.valueOf(c)));
        }
        String plain = Normalizer.normalize(latin, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (plain.isEmpty()) {
            plain = "field";
        } else if (Character.isDigit(plain.charAt(0))) {
            plain = "f_" + plain;
        }
        return trim(plain, MAX);
    }

    private static String suffixed(String base, String suffix) {
        return trim(base, MAX - suffix.length() - 1) + "_" + suffix;
    }

    private static String trim(String name, int max) {
        return name.length() <= max ? name : name.substring(0, max).replaceAll("_+$", "");
    }

    private static Map<Character, String> cyrillic() {
        String[] latin = { "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya" };
        Map<Character, String> map = new java.util.HashMap<>();
        for (char c = 'а'; c <= 'я'; c++) {
            map.put(c, latin[c - 'а']);
        }
        map.put('ё', "e");
        map.put('і', "i");
        map.put('ї', "yi");
        map.put('є', "ye");
        map.put('ґ', "g");
        return map;
    }
}
