package dev.amocrmsync.cli;

import org.eclipse.microprofile.config.ConfigProvider;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the application version from the build. */
class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] { "amocrm-sync " + ConfigProvider.getConfig()
                .getOptionalValue("quarkus.application.version", String.class).orElse("(development)") };
    }
}
