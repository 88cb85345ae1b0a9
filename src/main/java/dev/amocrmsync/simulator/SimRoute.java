package dev.amocrmsync.simulator;

import java.util.regex.Pattern;

/**
 * One {@code GET} path of the API ({@code :id} for a parameter) and what answers it. A parameter matches digits only,
 * so {@code /api/v4/contacts/:id} never takes {@code /api/v4/contacts/custom_fields}, whatever order routes are in.
 */
record SimRoute(String path, Handler handler) {

    interface Handler {
        SimAnswer answer(SimulatedAccount account, SimQuery query, String baseUrl);
    }

    /** The path as a regular expression with a named group per parameter, as Vert.x routes by regex. */
    String regex() {
        StringBuilder regex = new StringBuilder();
        for (String segment : path.substring(1).split("/")) {
            regex.append("\\/");
            regex.append(segment.startsWith(":") ? "(?<" + segment.substring(1) + ">\\d+)" : Pattern.quote(segment));
        }
        return regex.toString();
    }
}
