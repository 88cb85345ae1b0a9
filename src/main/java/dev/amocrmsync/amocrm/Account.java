package dev.amocrmsync.amocrm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /api/v4/account}: who we are talking to. The run's first call; its {@code Date} sets amoCRM's clock. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Account(Long id, String name, String subdomain) {
}
