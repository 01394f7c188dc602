using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Weft.Server.Auth;

namespace Weft.Server.Tests;

public sealed class HardeningTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Server;

    public static TheoryData<string> Traversals => new()
    {
        "/api/v1/dags/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/dags/..%2F..%2Fetc%2Fpasswd/source",
        "/api/v1/dags/..%2F..%2Fetc%2Fpasswd/dagRuns",
        "/api/v1/dags/hello/dagRuns/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/dags/hello/dagRuns/..%2F..%2F..%2Fetc%2Fpasswd/taskInstances/greet/logs/1",
        "/api/v1/dags/hello/dagRuns/r1/taskInstances/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/dags/hello/dagRuns/r1/taskInstances/..%2F..%2Fetc%2Fpasswd/logs/1",
        "/api/v1/dags/hello/dagRuns/r1/taskInstances/greet/logs/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/dags/%2E%2E/dagRuns/%2E%2E/taskInstances/%2E%2E/logs/1",
        "/api/v1/dags/../../../../etc/passwd",
        "/api/v1/dags/hello/dagRuns/..%5C..%5Cetc%5Cpasswd/taskInstances/greet/logs/1",
        "/api/v1/dags/.hidden/source",
        "/api/v1/pools/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/tokens/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/secrets/..%2F..%2Fetc%2Fpasswd",
    };

    [Theory]
    [MemberData(nameof(Traversals))]
    public async Task TraversalInRouteParameter_Is400Or404_NeverFileContents(string url)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            using var response = await Server.As(Roles.Admin).SendAsync(new HttpRequestMessage(method, url));
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed,
                $"{method} {url}: {response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
            if (response.StatusCode != HttpStatusCode.MethodNotAllowed)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task TwentyMegabyteBody_Is413Problem_AndTheServerStaysUp()
    {
        var body = new ByteArrayContent(new byte[20 * 1024 * 1024]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Server.As(Roles.Operator).PostAsync("/api/v1/dags/hello/dagRuns", body);
        await AuthTests.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);

        using var health = await Server.Anonymous().GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task BadJson_Is400Problem_WithoutStackTrace()
    {
        using var response = await Server.As(Roles.Operator).PostAsync("/api/v1/dags/hello/dagRuns",
            new StringContent("{\"conf\": [1, 2", Encoding.UTF8, "application/json"));
        await AuthTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        using var response = await Server.As(Roles.Viewer).GetAsync("/api/v1/nothing-here");
        await AuthTests.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TooManyAuthFailures_Is429_ForThatClient()
    {
        await using var server = await ServerHarness.StartAsync();
        var bad = server.Anonymous();
        bad.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "weft_guess");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync("/api/v1/dags")).StatusCode);
        }

        using var blocked = await bad.GetAsync("/api/v1/dags");
        await AuthTests.AssertProblemAsync(blocked, HttpStatusCode.TooManyRequests);
        Assert.NotNull(blocked.Headers.RetryAfter);
        // Health needs no credentials and stays reachable.
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous().GetAsync("/api/v1/health")).StatusCode);
    }

    [Fact]
    public async Task Cors_IsOffByDefault()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/dags");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await Server.Anonymous().SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_AllowsConfiguredOrigin()
    {
        await using var server = await ServerHarness.StartAsync(new() { ["Server:CorsOrigins:0"] = "https://ui.example" });
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/health");
        request.Headers.Add("Origin", "https://ui.example");
        using var response = await server.Anonymous().SendAsync(request);
        Assert.Equal("https://ui.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
