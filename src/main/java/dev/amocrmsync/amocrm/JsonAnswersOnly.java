package dev.amocrmsync.amocrm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * A 2xx answer must be JSON (or empty, as a 204). A proxy's login page or a maintenance page served with 200 is a
 * malformed answer, reported as such, never read as "no leads".
 */
final class JsonAnswersOnly implements ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (response.getHeaders() == null) {
            return; // the connection broke before the headers: a transport failure, reported as such
        }
        String type = response.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (response.getStatus() / 100 == 2 && response.getStatus() != 204 && response.hasEntity()
                && (type == null || !type.toLowerCase().contains("json"))) {
            throw new MalformedResponse("amoCRM answered HTTP " + response.getStatus() + " with "
                    + (type == null ? "no content type" : type) + " instead of JSON", null);
        }
    }
}
