package dev.amocrmsync.amocrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.config.InvalidSettingsException;
import dev.amocrmsync.testing.TestConfigs;

class AccountUrlTest {

    @Test
    void theSubdomainMakesAnAmoCrmRuAddress() {
        assertThat(AccountUrl.of(config("GeoDrive", null))).isEqualTo(URI.create("https://geodrive.amocrm.ru"));
    }

    @Test
    void aBaseUrlWinsForKommoAccountsAndProxies() {
        assertThat(AccountUrl.of(config("ignored", "https://geodrive.kommo.com/")))
                .isEqualTo(URI.create("https://geodrive.kommo.com"));
        assertThat(AccountUrl.of(config(null, "http://127.0.0.1:8089"))).isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThat(AccountUrl.of(config(null, "http://localhost:8089"))).isEqualTo(URI.create("http://localhost:8089"));
    }

    /** Issue 19: the budget was keyed by the URL as typed, so two spellings of one account paced apart. */
    @Test
    void everySpellingOfAnAccountKeysOneBudget() {
        assertThat(java.util.stream.Stream.of(config("geodrive", null), config(" GeoDrive ", null),
                config(null, "https://geodrive.amocrm.ru"), config(null, "https://GeoDrive.AmoCRM.ru/"),
                config(null, "HTTPS://geodrive.amocrm.ru:443"), config(null, "https://geodrive.amocrm.ru.//"))
                .map(AccountUrl::key).distinct())
                .containsExactly("https://geodrive.amocrm.ru");
        assertThat(AccountUrl.key(config(null, "http://127.0.0.1:8089/"))).isEqualTo("http://127.0.0.1:8089");
        assertThat(AccountUrl.key(config(null, "https://proxy.example/amocrm/"))).isEqualTo("https://proxy.example/amocrm");
        assertThat(AccountUrl.key(config(null, "https://geodrive.kommo.com")))
                .as("another platform, another account").isNotEqualTo("https://geodrive.amocrm.ru");
    }

    @Test
    void plainHttpIsRefusedBeyondThisMachine() {
        assertThat(AccountUrl.problems(config(null, "http://geodrive.amocrm.ru")))
                .containsExactly("AMOCRM_BASE_URL must start with https:// (plain http is allowed only for localhost)");
        assertThat(AccountUrl.problems(config(null, "http://127.0.0.1.evil.example")))
                .hasSize(1);
    }

    @Test
    void aSubdomainIsOneDnsLabel() {
        assertThat(AccountUrl.problems(config("geodrive.amocrm.ru", null))).hasSize(1);
        assertThat(AccountUrl.problems(config("https://geodrive", null))).hasSize(1);
        assertThat(AccountUrl.problems(config("-geo", null))).hasSize(1);
        assertThat(AccountUrl.problems(config("geo-drive2", null))).isEmpty();
    }

    @Test
    void credentialsInTheUrlAreRefusedAndNotRepeated() {
        assertThatThrownBy(() -> AccountUrl.of(config(null, "https://user:hunter2@geodrive.amocrm.ru")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void withNeitherTheMessageSaysWhatToSet() {
        assertThat(AccountUrl.problems(config(null, null))).singleElement().asString()
                .contains("AMOCRM_SUBDOMAIN", "AMOCRM_BASE_URL");
    }

    private static AmoCrmConfig config(String subdomain, String baseUrl) {
        return TestConfigs.AmoCrm.of(subdomain, baseUrl);
    }
}
