using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Weft.Cli.Tests.Commands;
using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Migrating;

/// <summary>examples/migrating/event-driven: a JSON DAG submitted to a running server, started with an event as its conf.</summary>
public sealed class EventDrivenExampleTests : IDisposable
{
    private static readonly string Example = Path.Combine(Machine.RepositoryRoot(), "examples", "migrating", "event-driven", "order_events.json");

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task OrderEvents_UploadedAndTriggered_PassesTheEventFromTaskToTask()
    {
        using var server = new ServerProcess(_dir.Path, "--urls", "http://127.0.0.1:0");
        var (baseUrl, adminToken) = await server.WaitForLoginUrlAsync(TimeSpan.FromSeconds(60));
        var author = await _dir.Weft().RunAsync("tokens", "create", "--name", "ci", "--role", "author", "--json");
        Assert.True(author.ExitCode == 0, author.ToString());
        var token = JsonDocument.Parse(author.Stdout).RootElement.GetProperty("token").GetString()!;

        var upload = _dir.Weft();
        upload.Environment["WEFT_TOKEN"] = token;
        var uploaded = await upload.RunAsync("dags", "upload", Example, "--server", baseUrl.ToString());
        Assert.True(uploaded.ExitCode == 0, uploaded.ToString());
        Assert.Contains("DAG order_events uploaded", uploaded.Stdout + uploaded.Stderr, StringComparison.Ordinal);

        using var api = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var conf = $$$"""{"conf": {"event": {"order_id": "A-17", "items": [{"sku": "tea", "qty": 2}]}, "port": {{{baseUrl.Port}}}}}""";
        using var trigger = await api.PostAsync("/api/v1/dags/order_events/dagRuns", new StringContent(conf, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        var runId = JsonDocument.Parse(await trigger.Content.ReadAsStringAsync()).RootElement.GetProperty("run_id").GetString()!;

        JsonElement run;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            run = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/dags/order_events/dagRuns/{Uri.EscapeDataString(runId)}")).RootElement;
            if (run.GetProperty("state").GetString() is "success" or "failed")
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the run did not finish: {run}\n{server.Output}");
            await Task.Delay(100);
        }

        Assert.True(run.GetProperty("state").GetString() == "success", run.ToString());
        Assert.Equal("3", run.GetProperty("dag_version").GetString());
        var log = await api.GetStringAsync($"/api/v1/dags/order_events/dagRuns/{Uri.EscapeDataString(runId)}/taskInstances/fulfil/logs/1");
        Assert.Contains("order A-17: 2 x tea (server healthy)", log, StringComparison.Ordinal);
        var notify = await api.GetStringAsync($"/api/v1/dags/order_events/dagRuns/{Uri.EscapeDataString(runId)}/taskInstances/notify/logs/1");
        Assert.Contains("shipped A-17, coupon none", notify, StringComparison.Ordinal);

        // Uploading it again replaces it; a broken copy is refused with its lines, against the local file.
        var broken = _dir.Write("broken.json", File.ReadAllText(Example).Replace("\"depends_on\": [\"fulfil\"]", "\"depends_on\": [\"fulfill\"]", StringComparison.Ordinal));
        var refused = await upload.RunAsync("dags", "upload", broken, "--server", baseUrl.ToString());
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(refused.StderrLines, l => l.StartsWith(broken + ":", StringComparison.Ordinal) && l.Contains("fulfill"));
    }
}
