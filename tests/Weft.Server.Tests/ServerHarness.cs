using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Weft.Server.Auth;
using Weft.Server.Hosting;
using Weft.Storage.Sqlite;

namespace Weft.Server.Tests;

/// <summary>A server on a test host over a fresh folder: SQLite database, DAGs folder, one token per role.</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Dags = new Dictionary<string, string>
    {
        ["hello.yaml"] = """
            id: hello
            params: { who: world }
            tags: [demo]
            tasks:
              - id: greet
                command: "echo hello ${{ params.who }}"
            """,
        ["secret.yaml"] = """
            id: uses_secret
            tasks:
              - id: leak
                command: "echo the key is ${{ secrets.api_key }}; echo key=${{ secrets.api_key }} >> $WEFT_OUTPUT; exit 4"
            """,
        ["slow.yaml"] = """
            id: slow
            tasks:
              - id: lines
                command: "for i in 1 2 3 4 5 6; do echo line $i; sleep 0.3; done"
            """,
        ["fail.yaml"] = """
            id: fails
            tasks:
              - id: boom
                command: "echo failing; exit 3"
              - id: next
                depends_on: [boom]
                command: "echo next"
            """,
    };

    private readonly string _root;

    private bool _testServer = true;

    private ServerHarness(string root, SqliteStateStore store, WebApplication app, StringWriter console)
    {
        _root = root;
        Store = store;
        App = app;
        Console = console;
    }

    public SqliteStateStore Store { get; }
    public WebApplication App { get; }
    public StringWriter Console { get; }
    public string Home => Path.Combine(_root, "home");
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    /// <param name="moreDags">DAG files, by name, to add to <see cref="Dags"/> in this server's folder.</param>
    public static async Task<ServerHarness> StartAsync(Dictionary<string, string?>? settings = null, bool testServer = true, IReadOnlyDictionary<string, string>? moreDags = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "weft-server-tests", Guid.NewGuid().ToString("N"));
        var dags = Path.Combine(root, "dags");
        Directory.CreateDirectory(dags);
        foreach (var (name, text) in Dags.Concat(moreDags ?? new Dictionary<string, string>()))
        {
            await File.WriteAllTextAsync(Path.Combine(dags, name), text);
        }

        var store = new SqliteStateStore(Path.Combine(root, "home", "weft.db"));
        await store.InitializeAsync(CancellationToken.None);
        var console = new StringWriter();
        var environment = new ServerEnvironment { Home = Path.Combine(root, "home"), DagsFolder = dags, Store = store, Access = store, Console = console };
        var config = new Dictionary<string, string?>
        {
            ["Server:ExecutorPollInterval"] = "00:00:00.100",
            ["Server:ShutdownGracePeriod"] = "00:00:02",
            ["Server:TasksDir"] = Path.Combine(root, "tasks"),
        };
        foreach (var (k, v) in settings ?? [])
        {
            config[k] = v;
        }

        var app = await WeftServer.BuildAsync(environment, [], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            if (testServer)
            {
                b.WebHost.UseTestServer();
            }
        }, CancellationToken.None);
        await app.StartAsync();
        var harness = new ServerHarness(root, store, app, console) { _testServer = testServer };
        foreach (var role in Roles.All)
        {
            harness.Tokens[role] = (await ApiTokens.CreateAsync(store, "test-" + role, role, DateTimeOffset.UtcNow, CancellationToken.None))!;
        }

        return harness;
    }

    /// <summary>A client with no token.</summary>
    public HttpClient Anonymous() => _testServer
        ? App.GetTestClient()
        : new HttpClient { BaseAddress = new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

    /// <summary>A client with the token of a role.</summary>
    public HttpClient As(string role)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[role]);
        return client;
    }

    public async Task<string> TriggerAsync(string dagId, object? body = null)
    {
        using var response = await As(Roles.Operator).PostAsJsonAsync($"/api/v1/dags/{dagId}/dagRuns", body ?? new { });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("run_id").GetString()!;
    }

    /// <summary>Polls the run until its state is one of <paramref name="states"/>; returns its JSON.</summary>
    public async Task<JsonElement> WaitForRunAsync(string dagId, string runId, params string[] states)
    {
        var client = As(Roles.Viewer);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var json = await client.GetStringAsync($"/api/v1/dags/{dagId}/dagRuns/{Uri.EscapeDataString(runId)}");
            var run = JsonDocument.Parse(json).RootElement;
            if (states.Contains(run.GetProperty("state").GetString()))
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"run {runId} stayed {run.GetProperty("state")}: {json}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One server shared by a test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerHarness Server { get; private set; } = null!;

    // Many tests send bad tokens on purpose; the failure limit has its own test.
    public async Task InitializeAsync() => Server = await ServerHarness.StartAsync(new() { ["Server:AuthFailuresPerMinute"] = "100000" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
