package dev.amocrmsync.amocrm;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * amoCRM API v4, as far as the sync reads it. Package-private: callers go through {@link AmoCrmClient}, which owns the
 * rate limit, retries and credentials. A 204 answer arrives as a {@code null} item.
 */
@RegisterRestClient(configKey = "amocrm")
@Path("/api/v4")
@Produces({ "application/hal+json", "application/json" })
interface AmoCrmApi {

    @GET
    @Path("/{entity}")
    Uni<EntityPage> list(@jakarta.ws.rs.PathParam("entity") String entity,
            @RestQuery("filter[updated_at][from]") Long updatedFrom,
            @RestQuery("filter[updated_at][to]") Long updatedTo,
            @RestQuery("filter[id][]") List<Long> ids,
            @RestQuery("order[updated_at]") String orderByUpdatedAt,
            @RestQuery("order[id]") String orderById,
            @RestQuery String with,
            @RestQuery int page,
            @RestQuery int limit);

    /** A list under another entity: {@code /leads/notes}, {@code /contacts/notes}, {@code /leads/tags}. */
    @GET
    @Path("/{parent}/{list}")
    Uni<EntityPage> listOf(@jakarta.ws.rs.PathParam("parent") String parent,
            @jakarta.ws.rs.PathParam("list") String list,
            @RestQuery("filter[updated_at][from]") Long updatedFrom,
            @RestQuery("filter[updated_at][to]") Long updatedTo,
            @RestQuery("filter[id][]") List<Long> ids,
            @RestQuery("order[updated_at]") String orderByUpdatedAt,
            @RestQuery("order[id]") String orderById,
            @RestQuery String with,
            @RestQuery int page,
            @RestQuery int limit);

    @GET
    @Path("/account")
    Uni<Account> account(@RestQuery String with);

    @GET
    @Path("/leads/pipelines")
    Uni<Pipelines> pipelines();

    @GET
    @Path("/users")
    Uni<UsersPage> users(@RestQuery int page, @RestQuery int limit);

    @GET
    @Path("/{entity}/custom_fields")
    Uni<CustomFieldsPage> customFields(@jakarta.ws.rs.PathParam("entity") String entity, @RestQuery int page,
            @RestQuery int limit);

    @GET
    @Path("/events")
    Uni<EventsPage> events(@RestQuery("filter[type]") String types,
            @RestQuery("filter[created_at][from]") Long createdFrom,
            @RestQuery("filter[created_at][to]") Long createdTo,
            @RestQuery int page,
            @RestQuery int limit);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return AmoCrmFailures.fromResponse(response);
    }
}
