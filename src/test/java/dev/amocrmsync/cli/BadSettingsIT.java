package dev.amocrmsync.cli;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

@QuarkusMainIntegrationTest
class BadSettingsIT extends BadSettingsTest {
}
