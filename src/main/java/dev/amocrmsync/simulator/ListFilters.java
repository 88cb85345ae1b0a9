package dev.amocrmsync.simulator;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The shapes of filter the lists share, each read as strictly as the API documents it. */
final class ListFilters {

    private ListFilters() {
    }

    /** {@code name} with one value or many ({@code name=1}, {@code name[]=1&name[]=2}): records whose value is one. */
    static <T> SimList.Filter<T> anyOf(String name, Function<T, Long> value) {
        return query -> {
            List<Long> wanted = query.numbers(name);
            if (wanted == null) {
                return null;
            }
            Set<Long> set = new HashSet<>(wanted);
            return record -> {
                Long actual = value.apply(record);
                return actual != null && set.contains(actual);
            };
        };
    }

    /** {@code name} with one text value or many: records whose value is one (exactly, no splitting at commas). */
    static <T> SimList.Filter<T> anyText(String name, Function<T, String> value) {
        return query -> {
            List<String> wanted = query.values(name);
            if (wanted.isEmpty()) {
                return null;
            }
            Set<String> set = Set.copyOf(wanted);
            return record -> set.contains(value.apply(record));
        };
    }

    /**
     * A yes/no filter read in its scalar form only, {@code 1} or {@code 0}: the array form and any other value are
     * ignored, as amoCRM is reported to ignore {@code filter[is_completed][]=0}.
     */
    static <T> SimList.Filter<T> flag(String name, Predicate<T> isSet) {
        return query -> {
            String value = query.scalar(name);
            if ("1".equals(value)) {
                return isSet;
            }
            return "0".equals(value) ? isSet.negate() : null;
        };
    }
}
