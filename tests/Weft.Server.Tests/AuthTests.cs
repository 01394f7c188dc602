using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Weft.Server.Auth;

namespace Weft.Server.Tests;

public sealed class AuthTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Server;

    /// <summary>Every protected endpoint, with the role it needs.</summary>
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/api/v1/dags", Roles.Viewer },
        { "GET", "/api/v1/dags/hello", Roles.Viewer },
        { "PATCH", "/api/v1/dags/hello", Roles.Operator },
        { "GET", "/api/v1/dags/hello/source", Roles.Viewer },
        { "GET", "/api/v1/dags/hello/dagRuns", Roles.Viewer },
        { "POST", "/api/v1/dags/hello/dagRuns", Roles.Operator },
        { "GET", "/api/v1/dags/hello/dagRuns/r1", Roles.Viewer },
        { "PATCH", "/api/v1/dags/hello/dagRuns/r1", Roles.Operator },
        { "POST", "/api/v1/dags/hello/dagRuns/r1/clear", Roles.Operator },
        { "GET", "/api/v1/dags/hello/dagRuns/r1/taskInstances", Roles.Viewer },
        { "GET", "/api/v1/dags/hello/dagRuns/r1/taskInstances/greet", Roles.Viewer },
        { "PATCH", "/api/v1/dags/hello/dagRuns/r1/taskInstances/greet", Roles.Operator },
        { "POST", "/api/v1/dags/hello/dagRuns/r1/taskInstances/greet/clear", Roles.Operator },
        { "GET", "/api/v1/dags/hello/dagRuns/r1/taskInstances/greet/logs/1", Roles.Viewer },
        { "GET", "/api/v1/pools", Roles.Viewer },
        { "GET", "/api/v1/pools/default_pool", Roles.Viewer },
        { "POST", "/api/v1/pools", Roles.Admin },
        { "PATCH", "/api/v1/pools/default_pool", Roles.Admin },
        { "GET", "/api/v1/workers", Roles.Viewer },
        { "GET", "/api/v1/events", Roles.Viewer },
        { "GET", "/api/v1/tokens", Roles.Admin },
        { "POST", "/api/v1/tokens", Roles.Admin },
        { "DELETE", "/api/v1/tokens/nobody", Roles.Admin },
        { "GET", "/api/v1/secrets", Roles.Admin },
        { "PUT", "/api/v1/secrets/x1", Roles.Admin },
        { "DELETE", "/api/v1/secrets/x1", Roles.Admin },
        { "GET", "/metrics", Roles.Viewer },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithoutToken_Is401Problem(string method, string url, string role)
    {
        _ = role;
        using var response = await Server.Anonymous().SendAsync(Request(method, url));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithBadToken_Is401Problem(string method, string url, string role)
    {
        _ = role;
        var client = Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.Tokens[Roles.Admin] + "x");
        using var response = await client.SendAsync(Request(method, url));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_RoleBoundary_WeakerRoleIs403_NeededRolePasses(string method, string url, string role)
    {
        var weaker = Roles.All.TakeWhile(r => r != role).ToList();
        foreach (var r in weaker)
        {
            using var refused = await Server.As(r).SendAsync(Request(method, url));
            await AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        foreach (var r in Roles.All.SkipWhile(r => r != role))
        {
            using var allowed = await Server.As(r).SendAsync(Request(method, url, dryRun: true));
            Assert.NotEqual(HttpStatusCode.Unauthorized, allowed.StatusCode);
            Assert.NotEqual(HttpStatusCode.Forbidden, allowed.StatusCode);
        }
    }

    [Fact]
    public async Task Health_And_OpenApi_NeedNoToken()
    {
        using var health = await Server.Anonymous().GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", body.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("executor").GetProperty("status").GetString());

        using var openapi = await Server.Anonymous().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
    }

    [Fact]
    public async Task RevokedToken_Is401()
    {
        var admin = Server.As(Roles.Admin);
        using var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "short-lived", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        var client = Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/dags")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/tokens/short-lived")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/dags")).StatusCode);

        var list = await admin.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
        Assert.Contains("\"revoked_at\":\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_AreStoredAsHashes()
    {
        var stored = await Server.Store.ListTokensAsync(CancellationToken.None);
        foreach (var token in Server.Tokens.Values)
        {
            Assert.DoesNotContain(stored, t => t.Hash.Contains(token, StringComparison.Ordinal));
            Assert.Contains(stored, t => t.Hash == ApiTokens.Hash(token));
        }
    }

    private static HttpRequestMessage Request(string method, string url, bool dryRun = false)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PATCH" or "PUT")
        {
            object body = url switch
            {
                _ when url.EndsWith("/clear", StringComparison.Ordinal) => new { dry_run = dryRun },
                "/api/v1/pools" => new { name = "p_" + Guid.NewGuid().ToString("N")[..8], slots = 2 },
                "/api/v1/tokens" => new { name = "t_" + Guid.NewGuid().ToString("N")[..8], role = "viewer" },
                _ when url.Contains("/secrets/", StringComparison.Ordinal) => new { value = "v" },
                _ when url.Contains("/pools/", StringComparison.Ordinal) => new { slots = 128 },
                _ when url.EndsWith("/dagRuns", StringComparison.Ordinal) => new { conf = new { who = "x" } },
                _ when url.EndsWith("/hello", StringComparison.Ordinal) => new { is_paused = false },
                _ => new { state = "success" },
            };
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _));
    }
}
