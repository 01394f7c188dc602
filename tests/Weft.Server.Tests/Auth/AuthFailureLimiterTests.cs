using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Weft.Server.Auth;

namespace Weft.Server.Tests.Auth;

/// <summary>
/// Failed authentications are counted per client address; a locked-out address still gets in with a valid token;
/// <c>X-Forwarded-For</c> names the client only when it comes from a configured proxy.
/// </summary>
public sealed class AuthFailureLimiterTests
{
    private const string Guess = "weft_guess";

    [Fact]
    public async Task LockedOutAddress_InvalidTokenIs429_ValidTokenStillWorks_OtherAddressesUnaffected()
    {
        await using var server = await ServerHarness.StartAsync();
        var viewer = server.Tokens[Roles.Viewer];
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, await StatusAsync(server, "198.51.100.7", Guess));
        }

        var blocked = await SendAsync(server, "198.51.100.7", Guess);
        Assert.Equal(StatusCodes.Status429TooManyRequests, blocked.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(blocked.Response.Headers.RetryAfter.ToString()));

        Assert.Equal(StatusCodes.Status200OK, await StatusAsync(server, "198.51.100.7", viewer));
        Assert.Equal(StatusCodes.Status200OK, await StatusAsync(server, "198.51.100.7", server.Tokens[Roles.Admin], "/api/v1/tokens"));
        Assert.Equal(StatusCodes.Status401Unauthorized, await StatusAsync(server, "198.51.100.8", Guess));
        Assert.Equal(StatusCodes.Status200OK, await StatusAsync(server, "198.51.100.8", viewer));
    }

    [Fact]
    public async Task WithoutKnownProxies_XForwardedForIsIgnored_TheConnectionAddressCounts()
    {
        await using var server = await ServerHarness.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            // A guesser cannot spread its failures over made-up addresses.
            Assert.Equal(StatusCodes.Status401Unauthorized, await StatusAsync(server, "10.0.0.1", Guess, forwardedFor: $"203.0.113.{i}"));
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, await StatusAsync(server, "10.0.0.1", Guess, forwardedFor: "203.0.113.99"));
    }

    [Fact]
    public async Task BehindAKnownProxy_EachForwardedClientIsCountedApart_AndOthersCannotForgeTheHeader()
    {
        await using var server = await ServerHarness.StartAsync(new()
        {
            ["Server:KnownProxies:0"] = "10.0.0.1",
            ["Server:KnownProxies:1"] = "172.16.0.0/12",
        });
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, await StatusAsync(server, "10.0.0.1", Guess, forwardedFor: "203.0.113.5"));
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, await StatusAsync(server, "10.0.0.1", Guess, forwardedFor: "203.0.113.5"));
        // Through two proxies of the configured network and the listed one: still the same client.
        Assert.Equal(StatusCodes.Status429TooManyRequests, await StatusAsync(server, "10.0.0.1", Guess, forwardedFor: "203.0.113.5, 172.16.4.4"));
        Assert.Equal(StatusCodes.Status200OK, await StatusAsync(server, "10.0.0.1", server.Tokens[Roles.Viewer], forwardedFor: "203.0.113.5"));
        // Another client behind the same proxy is not locked out.
        Assert.Equal(StatusCodes.Status401Unauthorized, await StatusAsync(server, "10.0.0.1", Guess, forwardedFor: "203.0.113.6"));
        // A client that is no proxy cannot pass for one behind it: its header is ignored and its own address counts.
        Assert.Equal(StatusCodes.Status401Unauthorized, await StatusAsync(server, "198.51.100.9", Guess, forwardedFor: "203.0.113.5"));
        // A forged entry before the proxy's is not believed: the right-most address the proxy saw counts.
        Assert.Equal(StatusCodes.Status401Unauthorized, await StatusAsync(server, "10.0.0.1", Guess, forwardedFor: "203.0.113.5, 203.0.113.7"));
    }

    [Fact]
    public void KnownProxies_NotAnAddress_IsNamedAtStart()
    {
        var options = new Weft.Server.Hosting.ServerOptions { KnownProxies = ["10.0.0.1", "proxy.local", "10.0.0.0/33"] };

        var problems = options.Validate().ToList();

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("Server:KnownProxies:", p, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'proxy.local'", StringComparison.Ordinal));
    }

    private static async Task<int> StatusAsync(ServerHarness server, string remote, string token, string path = "/api/v1/dags", string? forwardedFor = null) =>
        (await SendAsync(server, remote, token, path, forwardedFor)).Response.StatusCode;

    private static Task<HttpContext> SendAsync(ServerHarness server, string remote, string token, string path = "/api/v1/dags", string? forwardedFor = null) =>
        server.App.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            c.Request.Headers.Authorization = "Bearer " + token;
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        });
}
