package dev.amocrmsync.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The session service's endpoints exist only in {@code session-service}: elsewhere ({@code serve}) they answer 404,
 * so no other mode ever lends a session. When a shared secret is set, every call must carry it.
 */
class SessionGate {

    static final String SECRET_HEADER = "X-Session-Secret";

    private final AmoCrmSession session;
    private final SessionConfig config;

    SessionGate(AmoCrmSession session, SessionConfig config) {
        this.session = session;
        this.config = config;
    }

    /**
     * Decided by the resource a request reaches, never by how its path is spelled: {@code /health/}, {@code //health},
     * {@code /health;x} or percent-encoding all reach {@link SessionResource} without matching a path test.
     */
    @ServerRequestFilter
    Response gate(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceClass() != SessionResource.class) {
            return null;
        }
        if (!session.started()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        String expected = config.secret().orElse(null);
        if (expected != null && !sameSecret(expected, request.getHeaderString(SECRET_HEADER))) {
            return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                    .entity("{\"ok\":false,\"error\":\"missing or wrong " + SECRET_HEADER + " header\"}").build();
        }
        return null;
    }

    private static boolean sameSecret(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
