package dev.amocrmsync.mirror;

import java.util.List;

/** What one page's upsert changed: new rows, rows brought up to date; anything else was already current. */
public record PageWrite(List<String> inserted, List<String> updated) {

    public static final PageWrite NOTHING = new PageWrite(List.of(), List.of());
}
