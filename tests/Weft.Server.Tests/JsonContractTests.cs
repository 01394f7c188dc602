using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Weft.Server.Api;

namespace Weft.Server.Tests;

/// <summary>
/// The native weft has no reflection-based JSON serializer: every body an endpoint reads or writes must have
/// generated code in <see cref="ApiJsonContext"/>, or that endpoint fails there with a 500 while passing here.
/// </summary>
public sealed class JsonContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public void EveryBodyTheApiReadsOrWrites_HasGeneratedSerializationCode()
    {
        var endpoints = fixture.Server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var bodies = new HashSet<Type>();
        foreach (var endpoint in endpoints)
        {
            foreach (var produces in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>())
            {
                bodies.Add(produces.Type!);
            }

            foreach (var accepts in endpoint.Metadata.OfType<IAcceptsMetadata>())
            {
                bodies.Add(accepts.RequestType!);
            }
        }

        // The framework writes its own types (problem details, plain text) with code of its own.
        var ours = bodies.Where(t => t is not null && t.Namespace?.StartsWith("Weft.", StringComparison.Ordinal) == true).ToList();
        Assert.True(ours.Count >= 15, $"expected the API's bodies among the endpoint metadata, found {ours.Count}");
        var missing = ours.Where(t => ApiJsonContext.Default.GetTypeInfo(t) is null).Select(t => t.Name).Order().ToList();
        Assert.True(missing.Count == 0, "add [JsonSerializable] to ApiJsonContext for: " + string.Join(", ", missing));
    }
}
