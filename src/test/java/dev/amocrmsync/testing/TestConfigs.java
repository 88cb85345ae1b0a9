package dev.amocrmsync.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.amocrmsync.amocrm.AmoCrmConfig;
import dev.amocrmsync.session.SessionConfig;

/** Configuration mappings as records, for testing logic without booting Quarkus; defaults as documented. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public record AmoCrm(Optional<String> subdomain, Optional<URI> baseUrl, Optional<String> accessToken,
            double requestsPerSecond, Duration readTimeout) implements AmoCrmConfig {

        public static AmoCrm of(String subdomain, String baseUrl) {
            return new AmoCrm(Optional.ofNullable(subdomain), Optional.ofNullable(baseUrl).map(URI::create),
                    Optional.empty(), 6, Duration.ofSeconds(60));
        }

        public Duration connectTimeout() {
            return Duration.ofSeconds(10);
        }

        public int pageSize() {
            return 250;
        }

        public Retry retry() {
            return null;
        }

        public CircuitBreaker circuitBreaker() {
            return null;
        }
    }

    public record Session(URI url, Optional<String> email, Optional<String> password, Path stateFile, String host,
            Optional<String> secret) implements SessionConfig {

        public static Session loggingInAs(String email, String password, Path stateFile) {
            return new Session(URI.create("http://localhost:3002"), Optional.of(email), Optional.of(password), stateFile,
                    "127.0.0.1", Optional.empty());
        }

        public Duration healthTimeout() {
            return Duration.ofSeconds(5);
        }

        public int port() {
            return 3002;
        }

        public Path chromium() {
            return Path.of("/usr/bin/chromium");
        }

        public Duration loginTimeout() {
            return Duration.ofSeconds(30);
        }
    }
}
