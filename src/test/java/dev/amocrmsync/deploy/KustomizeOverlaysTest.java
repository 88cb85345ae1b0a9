package dev.amocrmsync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * One Kustomize overlay per amoCRM account over the generated manifests: two accounts' overlays differ only in what
 * makes them two accounts (names, Secret source, schema), so nothing else can drift between them.
 */
class KustomizeOverlaysTest {

    private static final Path ACCOUNTS = Path.of("src/main/kustomize/accounts");

    @Test
    void overlaysOfTwoAccountsDifferOnlyInTheAccount() throws IOException {
        String geodrive = read("geodrive");
        String second = read("second-account");

        assertThat(load(geodrive.replace("geodrive", "ACCOUNT")))
                .isEqualTo(load(second.replace("second_account", "ACCOUNT").replace("second-account", "ACCOUNT")));
        assertThat(load(geodrive)).containsEntry("nameSuffix", "-geodrive").containsEntry("resources", List.of("../.."));
        assertThat(geodrive).contains("AMOCRM_DB_SCHEMA=geodrive").contains("- geodrive.env");
        assertThat(second).contains("AMOCRM_DB_SCHEMA=second_account");
    }

    @Test
    void everyOverlayGivesItsAccountASchemaOfItsOwn() throws IOException {
        try (Stream<Path> overlays = Files.list(ACCOUNTS)) {
            List<String> schemas = overlays.map(overlay -> {
                try {
                    return Files.readString(overlay.resolve("kustomization.yaml"))
                            .replaceAll("(?s).*AMOCRM_DB_SCHEMA=([a-z0-9_]+).*", "$1");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(schemas).doesNotHaveDuplicates().allMatch(schema -> schema.matches("[a-z_][a-z0-9_]*"));
        }
    }

    private static String read(String account) throws IOException {
        return Files.readString(ACCOUNTS.resolve(account).resolve("kustomization.yaml")).lines()
                .filter(line -> !line.strip().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String yaml) {
        return (Map<String, Object>) new Yaml().load(yaml);
    }
}
