using System.Net;
using System.Text.Json;

namespace Weft.Server.Tests.Hosting;

public sealed class ListSettingsTests
{
    [Fact]
    public async Task CorsOrigins_OneCommaSeparatedValue_AllowsEachOrigin()
    {
        await using var server = await ServerHarness.StartAsync(new() { ["Server:CorsOrigins"] = "http://a.test, http://b.test" });
        var client = server.Anonymous();

        foreach (var origin in new[] { "http://a.test", "http://b.test" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/dags");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            using var response = await client.SendAsync(request);
            Assert.True(response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed), $"{origin}: {response.StatusCode}");
            Assert.Equal(origin, Assert.Single(allowed));
        }

        using var other = new HttpRequestMessage(HttpMethod.Options, "/api/v1/dags");
        other.Headers.Add("Origin", "http://c.test");
        other.Headers.Add("Access-Control-Request-Method", "GET");
        using var refused = await client.SendAsync(other);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task RootHealth_AnswersWithoutAToken_AsTheApiHealthDoes()
    {
        await using var server = await ServerHarness.StartAsync();
        var client = server.Anonymous();

        using var root = await client.GetAsync("/health");
        using var api = await client.GetAsync("/api/v1/health");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        using var a = JsonDocument.Parse(await root.Content.ReadAsStringAsync());
        using var b = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
        Assert.Equal(b.RootElement.EnumerateObject().Select(p => p.Name), a.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(b.RootElement.GetProperty("status").GetString(), a.RootElement.GetProperty("status").GetString());
    }
}
