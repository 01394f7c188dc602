using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

/// <summary>
/// The README's "Running the server" walkthrough through the real binary: <c>weft server</c> in an empty folder with
/// a <c>dags/</c> folder prints a login URL with a token, answers the API, runs a triggered DAG and serves its log,
/// honours tokens and secrets managed by the <c>weft</c> command meanwhile, and stops cleanly on SIGTERM.
/// </summary>
public sealed class ServerCommandTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task Server_Walkthrough_LoginUrl_Trigger_Log_CliTokensAndSecrets_StopsOnSigterm()
    {
        _dir.Write("dags/hello.yaml", """
            id: hello
            params: { who: world }
            tasks:
              - id: greet
                command: "echo hello ${{ params.who }}; sleep 1; echo done"
            """);
        _dir.Write("dags/uses_secret.yaml", """
            id: uses_secret
            tasks:
              - id: check
                command: "test \"${{ secrets.api_key }}\" = from-stdin && echo key=${{ secrets.api_key }}"
            """);
        var cli = _dir.Weft();
        var secret = await cli.RunAsync(["secrets", "set", "api_key"], "from-stdin\n");
        Assert.True(secret.ExitCode == 0, secret.ToString());

        // Port 0: the server takes a free port and prints the one it got.
        using var server = new ServerProcess(_dir.Path, "--urls", "http://127.0.0.1:0");
        var (baseUrl, token) = await server.WaitForLoginUrlAsync(StartTimeout);
        Assert.Equal("127.0.0.1", baseUrl.Host);
        Assert.NotEqual(0, baseUrl.Port);
        Assert.True(File.Exists(Path.Combine(_dir.Path, ".weft", "weft.db")), server.Output);

        using var anonymous = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var health = await anonymous.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/dags")).StatusCode);

        using var api = Client(baseUrl, token);
        var dags = JsonDocument.Parse(await api.GetStringAsync("/api/v1/dags")).RootElement;
        Assert.Contains(dags.GetProperty("dags").EnumerateArray(), d => d.GetProperty("dag_id").GetString() == "hello");

        using var trigger = await api.PostAsJsonAsync("/api/v1/dags/hello/dagRuns", new { conf = new { who = "weft" } });
        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        var runId = JsonDocument.Parse(await trigger.Content.ReadAsStringAsync()).RootElement.GetProperty("run_id").GetString()!;
        var run = await WaitForRunAsync(api, "hello", runId, server);
        Assert.Equal("success", run.GetProperty("state").GetString());
        Assert.Equal("success", run.GetProperty("tasks")[0].GetProperty("state").GetString());
        var log = await api.GetStringAsync($"/api/v1/dags/hello/dagRuns/{runId}/taskInstances/greet/logs/1");
        Assert.Contains("hello weft", log, StringComparison.Ordinal);
        Assert.Contains("done", log, StringComparison.Ordinal);

        // The secret set from stdin reached the task exactly (no newline), and is masked in the log.
        using var secretRun = await api.PostAsJsonAsync("/api/v1/dags/uses_secret/dagRuns", new { });
        var secretRunId = JsonDocument.Parse(await secretRun.Content.ReadAsStringAsync()).RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal("success", (await WaitForRunAsync(api, "uses_secret", secretRunId, server)).GetProperty("state").GetString());
        var secretLog = await api.GetStringAsync($"/api/v1/dags/uses_secret/dagRuns/{secretRunId}/taskInstances/check/logs/1");
        Assert.Contains("key=***", secretLog, StringComparison.Ordinal);
        Assert.DoesNotContain("from-stdin", secretLog, StringComparison.Ordinal);

        // A token made by `weft tokens create` works at once; `weft tokens revoke` is honoured within about a second.
        var created = await cli.RunAsync("tokens", "create", "--name", "ci", "--role", "viewer", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var viewer = Client(baseUrl, JsonDocument.Parse(created.Stdout).RootElement.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/dags")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/dags/hello/dagRuns", new { })).StatusCode);
        var revoked = await cli.RunAsync("tokens", "revoke", "ci");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var clock = Stopwatch.StartNew();
        while ((await viewer.GetAsync("/api/v1/dags")).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "a revoked token was still accepted after 5 s");
            await Task.Delay(50);
        }

        server.Terminate();
        var (exitCode, elapsed) = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit {exitCode}\n{server.Output}");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed} to stop\n{server.Output}");
    }

    [Fact]
    public async Task Server_BadSetting_IsAUsageError()
    {
        var result = await _dir.Weft().RunAsync("server", "--urls", "ftp://127.0.0.1:1");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("weft: error:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_BusyPort_IsOneErrorLine_Exit3_AndCreatesNoToken()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await _dir.Weft().RunAsync("server", "--urls", $"http://127.0.0.1:{port}");

        Assert.True(result.ExitCode == 3, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("weft: error: ", line, StringComparison.Ordinal);
        Assert.EndsWith($"http://127.0.0.1:{port} (another process holds it; choose another with --urls): address already in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("token", result.Stdout, StringComparison.Ordinal);
        var tokens = await _dir.Weft().RunAsync("tokens", "list", "--json");
        Assert.Equal("[]", tokens.Stdout.Trim());
    }

    private static HttpClient Client(Uri baseUrl, string token)
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> WaitForRunAsync(HttpClient api, string dagId, string runId, ServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/dags/{dagId}/dagRuns/{Uri.EscapeDataString(runId)}")).RootElement;
            if (run.GetProperty("state").GetString() is "success" or "failed")
            {
                return run;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"run {runId} did not finish: {run}\n{server.Output}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _dir.Dispose();
}
