package dev.amocrmsync.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.config.DatabaseUrl;
import dev.amocrmsync.session.SessionCookies;

/** Records that carry a secret print everything but the secret: a log line or an exception text never leaks one. */
class SecretsInRecordsTest {

    @Test
    void aTokenRequestPrintsItsGrantOnly() {
        String printed = OAuthApi.TokenRequest.refresh("client", "the-secret", "the-refresh-token", "https://x.test/cb")
                .toString() + OAuthApi.TokenRequest.code("client", "the-secret", "the-code", null);

        assertThat(printed).contains("refresh_token").contains("authorization_code")
                .doesNotContain("the-secret").doesNotContain("the-refresh-token").doesNotContain("the-code");
    }

    @Test
    void storedTokensSessionCookiesAndDatabaseUrlsHideTheirSecrets() {
        String printed = new OAuthTokenStore.Stored("https://a.amocrm.ru", "client", "enc-access", "enc-refresh", 1)
                + " " + new SessionCookies(List.of(new SessionCookies.Cookie("access_token", "cookie-value",
                        "a.amocrm.ru", "/")), "agent")
                + " " + DatabaseUrl.parse("postgresql://sync:db-password@db:5432/crm");

        assertThat(printed).doesNotContain("enc-access").doesNotContain("enc-refresh").doesNotContain("cookie-value")
                .doesNotContain("db-password");
    }
}
