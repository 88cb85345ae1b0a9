package dev.amocrmsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccountSchemaTest {

    @Test
    void theDefaultSchemaIsSetExplicitlySoASchemaNamedLikeTheRoleNeverCapturesIt() {
        assertThat(AccountSchema.of(null)).isEqualTo(AccountSchema.DEFAULT);
        assertThat(AccountSchema.of(" public ").toQuarkusProperties())
                .containsEntry("quarkus.datasource.reactive.additional-properties.search_path", "public")
                .containsEntry("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "public")
                .containsEntry("quarkus.flyway.schemas", "public")
                .containsEntry("quarkus.flyway.default-schema", "public");
    }

    @Test
    void aSchemaOfItsOwnReachesEveryConnectionAndFlyway() {
        assertThat(AccountSchema.of("geodrive").toQuarkusProperties())
                .containsEntry("quarkus.datasource.reactive.additional-properties.search_path", "geodrive")
                .containsEntry("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "geodrive")
                .containsEntry("quarkus.flyway.schemas", "geodrive")
                .containsEntry("quarkus.flyway.default-schema", "geodrive");
    }

    @Test
    void onlyAPlainIdentifierIsTaken() {
        for (String bad : new String[] { "Geodrive", "geo-drive", "1st", "pg_catalog", "a\"; DROP TABLE x", "a".repeat(64) }) {
            assertThatThrownBy(() -> AccountSchema.of(bad)).as(bad)
                    .hasMessageContaining("AMOCRM_DB_SCHEMA must be a plain PostgreSQL identifier");
        }
        assertThatThrownBy(() -> AccountSchema.of("Geo-Drive")).hasMessageContaining("such as geo_drive");
    }
}
