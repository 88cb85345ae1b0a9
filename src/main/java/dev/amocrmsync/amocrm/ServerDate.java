package dev.amocrmsync.amocrm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Hands every answer's {@code Date} header to the {@link AmoCrmClock}, errors and 429s included. */
public final class ServerDate implements ClientResponseFilter {

    private final AmoCrmClock clock;

    public ServerDate(AmoCrmClock clock) {
        this.clock = clock;
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (response.getHeaders() != null) {
            clock.observe(response.getHeaderString(HttpHeaders.DATE));
        }
    }
}
