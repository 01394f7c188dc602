using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Weft.Server.Auth;

namespace Weft.Server.Hosting;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>: every endpoint, the bearer scheme, times as date-time.</summary>
internal static class OpenApiSetup
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Monitoring"] = "Health, metrics, audit events, workers and the live event stream",
        ["DAGs"] = "Registered DAGs: list, show, pause, source",
        ["DAG runs"] = "Runs of a DAG: trigger, list, mark, clear, and the grid of the last runs",
        ["Task instances"] = "A run's task instances and their logs",
        ["Pools"] = "Pools that limit concurrency across DAGs",
        ["Access"] = "API tokens and secrets",
    };

    public static IServiceCollection AddWeftOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Weft API",
                    Version = "v1",
                    Description = "Weft's REST API: DAGs, runs, task instances, logs, pools, tokens and secrets. "
                        + "Send 'Authorization: Bearer TOKEN'. Errors are RFC 7807 problem details.",
                };
                // The server URL is the request's base; without a trailing slash, as linters require, so paths join cleanly.
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }

                foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                {
                    tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
                }

                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[TokenAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A token from 'weft tokens create' (roles: viewer, operator, admin)",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any())
                {
                    // Said outright: no security requirement, so clients send no token.
                    operation.Security = [];
                    return Task.CompletedTask;
                }

                var role = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? Roles.Viewer;
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(TokenAuthenticationHandler.SchemeName, context.Document)] = [],
                });
                operation.Description = (operation.Description is null ? "" : operation.Description + " ") + $"Role: {role}.";
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or an invalid one (problem details)" });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token's role may not do this (problem details)" });
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
                {
                    schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Format = "date-time";
                }

                return Task.CompletedTask;
            });
        });
}
