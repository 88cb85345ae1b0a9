package dev.amocrmsync.cli;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** The same command-line scenarios against the packaged application: the jar here, the native binary with -Dnative. */
@QuarkusMainIntegrationTest
class CommandLineIT extends CommandLineTest {
}
