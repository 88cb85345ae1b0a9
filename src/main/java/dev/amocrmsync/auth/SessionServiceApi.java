package dev.amocrmsync.auth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** The two calls the sync makes to the browser-session service itself; leads go through its {@code /api/v4} proxy. */
@Path("/")
interface SessionServiceApi {

    @GET
    @Path("health")
    Uni<JsonNode> health();

    @POST
    @Path("api/relogin")
    Uni<JsonNode> relogin();
}
