package dev.amocrmsync.amocrm;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import io.quarkus.rest.client.reactive.ReactiveClientHeadersFactory;
import io.smallrye.mutiny.Uni;

/**
 * Adds the access mode's headers ({@code Authorization: Bearer …}) as they stand
 * ({@link AccountAccess#headersWithoutWaiting()}):
 * {@link AccountAccess#requestHeaders()} refreshed them before the budget, and between the budget and the socket
 * nothing waits on amoCRM.
 */
final class AccessHeaders extends ReactiveClientHeadersFactory {

    private final AccountAccess access;

    AccessHeaders(AccountAccess access) {
        this.access = access;
    }

    @Override
    public Uni<MultivaluedMap<String, String>> getHeaders(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        return access.headersWithoutWaiting().map(values -> {
            MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
            values.forEach(headers::putSingle);
            return headers;
        });
    }
}
