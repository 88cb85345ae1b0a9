package dev.amocrmsync.cli;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;

/** Durations on the command line as in the configuration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 7d}, ISO-8601. */
class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return io.quarkus.runtime.configuration.DurationConverter.parseDuration(value.strip());
    }
}
