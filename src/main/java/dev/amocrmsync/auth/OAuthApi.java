package dev.amocrmsync.auth;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/** amoCRM's token endpoint: an authorization code or a refresh token for a new pair. */
@Path("/oauth2")
interface OAuthApi {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenRequest(@JsonProperty("client_id") String clientId, @JsonProperty("client_secret") String clientSecret,
            @JsonProperty("grant_type") String grantType, String code,
            @JsonProperty("refresh_token") String refreshToken, @JsonProperty("redirect_uri") String redirectUri) {

        static TokenRequest code(String clientId, String clientSecret, String code, String redirectUri) {
            return new TokenRequest(clientId, clientSecret, "authorization_code", code, null, redirectUri);
        }

        static TokenRequest refresh(String clientId, String clientSecret, String refreshToken, String redirectUri) {
            return new TokenRequest(clientId, clientSecret, "refresh_token", null, refreshToken, redirectUri);
        }

        /** The grant alone: the secret, the code and the refresh token never reach a log line or an error text. */
        @Override
        public String toString() {
            return "TokenRequest[grant_type=" + grantType + ", client_id=" + clientId + "]";
        }
    }

    @RegisterForReflection
    record TokenResponse(@JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("access_token") String accessToken, @JsonProperty("refresh_token") String refreshToken) {

        @Override
        public String toString() {
            return "TokenResponse[expires_in=" + expiresIn + "]";
        }
    }

    @POST
    @Path("/access_token")
    Uni<TokenResponse> token(TokenRequest request);

    @ClientExceptionMapper
    static RuntimeException refused(Response response) {
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        String detail = body.replaceAll("(?s).*\"(?:detail|hint|title)\"\\s*:\\s*\"([^\"]{0,200})\".*", "$1");
        return new OAuthRefused("amoCRM refused the OAuth request (HTTP " + response.getStatus()
                + (detail.equals(body) || detail.isBlank() ? "" : ": " + detail) + ")");
    }
}
