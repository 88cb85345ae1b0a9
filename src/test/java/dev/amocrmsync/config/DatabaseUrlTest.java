package dev.amocrmsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void theSeedsFormBecomesReactiveAndJdbcSettings() {
        Map<String, String> properties = DatabaseUrl
                .parse("postgresql://rent:p%40ss%3Aw0rd@db.example.com:6432/crm?sslmode=require")
                .toQuarkusProperties();

        assertThat(properties).containsEntry("quarkus.datasource.reactive.url", "postgresql://db.example.com:6432/crm")
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example.com:6432/crm?sslmode=require")
                .containsEntry("quarkus.datasource.username", "rent")
                .containsEntry("quarkus.datasource.password", "p@ss:w0rd")
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "require")
                .containsEntry("quarkus.datasource.reactive.trust-all", "true");
    }

    @Test
    void verifyFullChecksTheCertificateAndHost() {
        Map<String, String> properties = DatabaseUrl.parse("postgres://u@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem")
                .toQuarkusProperties();

        assertThat(properties).containsEntry("quarkus.datasource.reactive.trust-all", "false")
                .containsEntry("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS")
                .containsEntry("quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/ca.pem")
                .doesNotContainKey("quarkus.datasource.password");
    }

    @Test
    void defaultsFollowLibpq() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://amocrm@localhost");

        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.database()).isEqualTo("amocrm");
        assertThat(url.describe()).isEqualTo("amocrm@localhost:5432/amocrm");
    }

    @Test
    void errorsNeverRepeatThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://user:hunter2@host/db"))
                .hasMessageContaining("postgresql://user:password@host:5432/database")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://user:hunter2@/db")).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://user:hunter2@host/db?sslmode=maybe"))
                .hasMessageContaining("sslmode=maybe").hasMessageNotContaining("hunter2");
        assertThat(DatabaseUrl.parse("postgresql://user:hunter2@host/db").toString()).doesNotContain("hunter2");
    }

    @Test
    void aPasswordHoldingAtSignsOrSlashesIsRedactedWhole() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://sync:p@ssw0rd@db:5432/crm"))
                .hasMessageContaining("postgresql://***@db:5432/crm").hasMessageContaining("%40")
                .hasMessageNotContaining("ssw0rd").hasMessageNotContaining("sync:");
        assertThat(DatabaseUrl.redact("postgresql://a:b/c@d@host/db")).isEqualTo("postgresql://***@host/db");
        assertThat(DatabaseUrl.redact("postgresql://host/db")).isEqualTo("postgresql://host/db");
    }
}
