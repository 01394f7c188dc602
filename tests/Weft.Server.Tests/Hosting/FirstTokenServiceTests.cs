using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Weft.Server.Auth;
using Weft.Server.Hosting;
using Weft.Storage.Sqlite;

namespace Weft.Server.Tests.Hosting;

/// <summary>
/// The admin token of the first start: printed in a login URL's fragment, made only once the port is bound, and
/// never minted again on later starts.
/// </summary>
public sealed partial class FirstTokenServiceTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "weft-server-tests", Guid.NewGuid().ToString("N"));
    private SqliteStateStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "dags"));
        _store = new SqliteStateStore(Path.Combine(_root, "home", "weft.db"));
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task FirstStart_PrintsTheTokenInTheUrlFragment_NeverInAQueryString()
    {
        var (app, console) = await StartAsync(testServer: true);
        await using (app)
        {
            var printed = console.ToString();
            var url = LoginUrl().Match(printed);
            Assert.True(url.Success, printed);
            Assert.DoesNotContain("?token=", printed, StringComparison.Ordinal);

            var token = await _store.ListTokensAsync(CancellationToken.None);
            Assert.Equal(ApiTokens.Hash(url.Groups["token"].Value), Assert.Single(token).Hash);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Restart_WithEveryAdminTokenRevoked_MintsNone_AndSaysHowToRecover()
    {
        var (first, _) = await StartAsync(testServer: true);
        await using (first)
        {
            await first.StopAsync();
        }

        Assert.True(await _store.RevokeTokenAsync("admin", DateTimeOffset.UtcNow, CancellationToken.None));
        await ApiTokens.CreateAsync(_store, "ci", Roles.Operator, DateTimeOffset.UtcNow, CancellationToken.None);

        var (second, console) = await StartAsync(testServer: true);
        await using (second)
        {
            var printed = console.ToString();
            Assert.DoesNotContain("token=", printed, StringComparison.Ordinal);
            var line = Assert.Single(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("no active admin token", line, StringComparison.Ordinal);
            Assert.Contains("weft tokens create --name NAME --role admin", line, StringComparison.Ordinal);
            Assert.Equal(2, (await _store.ListTokensAsync(CancellationToken.None)).Count);
            Assert.DoesNotContain(await _store.ListActiveTokensAsync(CancellationToken.None), t => t.Role == Roles.Admin);
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task BusyPort_StartFails_AndNoTokenIsCreated()
    {
        await using var holder = await ServerHarness.StartAsync(new() { ["Server:Urls"] = "http://127.0.0.1:0" }, testServer: false);
        var taken = holder.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var (app, console) = await BuildAsync(testServer: false, taken);
        await using (app)
        {
            var failure = await Assert.ThrowsAnyAsync<IOException>(() => app.StartAsync());
            Assert.Contains("address already in use", failure.Message, StringComparison.Ordinal);
            await app.StopAsync();
        }

        Assert.Empty(await _store.ListTokensAsync(CancellationToken.None));
        Assert.Equal(string.Empty, console.ToString());
    }

    private async Task<(WebApplication App, StringWriter Console)> StartAsync(bool testServer)
    {
        var (app, console) = await BuildAsync(testServer, "http://127.0.0.1:0");
        await app.StartAsync();
        return (app, console);
    }

    private async Task<(WebApplication App, StringWriter Console)> BuildAsync(bool testServer, string urls)
    {
        var console = new StringWriter();
        var environment = new ServerEnvironment
        {
            Home = Path.Combine(_root, "home"),
            DagsFolder = Path.Combine(_root, "dags"),
            Store = _store,
            Access = _store,
            Console = console,
        };
        var app = await WeftServer.BuildAsync(environment, [], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Server:Urls"] = urls });
            if (testServer)
            {
                b.WebHost.UseTestServer();
            }
        }, CancellationToken.None);
        return (app, console);
    }

    [GeneratedRegex(@"^  http://127\.0\.0\.1:\d+/#token=(?<token>weft_[A-Za-z0-9_-]{43})$", RegexOptions.Multiline)]
    private static partial Regex LoginUrl();
}
