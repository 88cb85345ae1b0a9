package dev.amocrmsync.catalog;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.JsonParameter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** {@code amocrm_users}: the account's users. Callers provide the transaction. */
@ApplicationScoped
public class AmoCrmUserStore {

    /** A user as amoCRM lists it. */
    public record UserRow(long id, String name, String email, String lang, boolean active, boolean admin,
            JsonNode rights) {
    }

    // A row is written only when something in it differs; users missing from the catalog are flagged, not deleted.
    private static final String REPLACE = """
            WITH incoming AS (
                SELECT * FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                    AS x(amocrm_user_id bigint, name text, email text, lang text, is_active boolean, is_admin boolean,
                         rights jsonb)
            ), written AS (
                INSERT INTO amocrm_users AS u (amocrm_user_id, name, email, lang, is_active, is_admin, rights,
                    is_deleted, updated_at)
                SELECT amocrm_user_id, name, email, lang, is_active, is_admin, rights, false, now() FROM incoming
                ON CONFLICT (amocrm_user_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
                    lang = EXCLUDED.lang, is_active = EXCLUDED.is_active, is_admin = EXCLUDED.is_admin,
                    rights = EXCLUDED.rights, is_deleted = false, updated_at = now()
                WHERE (u.name, u.email, u.lang, u.is_active, u.is_admin, u.rights, u.is_deleted)
                      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.email, EXCLUDED.lang, EXCLUDED.is_active,
                                        EXCLUDED.is_admin, EXCLUDED.rights, false)
                RETURNING 1
            ), gone AS (
                UPDATE amocrm_users SET is_deleted = true, updated_at = now()
                WHERE NOT is_deleted AND amocrm_user_id NOT IN (SELECT amocrm_user_id FROM incoming)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM written) + (SELECT count(*) FROM gone)
            """;

    private final ObjectMapper json;

    AmoCrmUserStore(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Makes the table equal to this complete list of users; returns how many rows changed. An empty list changes
     * nothing: an account always has a user, so an empty answer is a reading problem, not a mass deletion.
     */
    public Uni<Long> replace(List<UserRow> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        List<Map<String, Object>> rows = users.stream().map(u -> {
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("amocrm_user_id", u.id());
            row.put("name", u.name());
            row.put("email", u.email());
            row.put("lang", u.lang());
            row.put("is_active", u.active());
            row.put("is_admin", u.admin());
            row.put("rights", u.rights());
            return row;
        }).toList();
        return Panache.getSession().chain(session -> session.<Number> createNativeQuery(REPLACE)
                .setParameter("rows", JsonParameter.of(json, rows)).getSingleResult())
                .map(Number::longValue);
    }
}
