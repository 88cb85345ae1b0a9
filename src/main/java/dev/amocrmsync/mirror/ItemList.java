package dev.amocrmsync.mirror;

/**
 * Where amoCRM lists an entity and how far its list can be trusted. Every v4 list pages alike ({@code page},
 * {@code limit} up to 250, {@code filter[updated_at][from|to]}, {@code filter[id][]}, 204 when empty); they differ in
 * the path, the {@code _embedded} key, what {@code with} brings, and whether {@code order[updated_at]} is honoured.
 *
 * @param path the list's path under {@code /api/v4}: {@code leads}, {@code tasks}, {@code leads/notes}
 * @param key the {@code _embedded} key of its items
 * @param with the {@code with} parameter that brings the links the mirror keeps; null for none
 * @param orderedByUpdatedAt whether {@code order[updated_at]} is documented: the keyset scan relies on it; a list
 *        without it (tasks, notes) is read in time windows proven whole by their lowest and highest ids instead
 */
public record ItemList(String path, String key, String with, boolean orderedByUpdatedAt) {

    public ItemList {
        if (!path.matches("[a-z_]+(/[a-z_]+)?") || !key.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not an API list: " + path + " (" + key + ")");
        }
    }

    /** A list whose path is its key ({@code leads}), ordered by {@code updated_at} as documented. */
    public static ItemList ordered(String path, String with) {
        return new ItemList(path, path, with, true);
    }

    /** A list that may ignore {@code order[updated_at]}: read by windows of time instead of a keyset. */
    public static ItemList unordered(String path, String key, String with) {
        return new ItemList(path, key, with, false);
    }
}
