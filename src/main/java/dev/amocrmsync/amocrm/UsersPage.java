package dev.amocrmsync.amocrm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /api/v4/users}: a page of the account's users; empty for a 204. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsersPage(@JsonProperty("_embedded") Embedded embedded) {

    public static final UsersPage EMPTY = new UsersPage(null);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedded(List<User> users) {
    }

    /** One user; {@code rights} is kept whole (its shape differs between plans), {@code is_active} is read from it. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record User(long id, String name, String email, String lang, JsonNode rights) {

        public boolean active() {
            return rights == null || !rights.has("is_active") || rights.path("is_active").asBoolean(true);
        }
    }

    public List<User> users() {
        return embedded == null || embedded.users() == null ? List.of() : embedded.users();
    }
}
