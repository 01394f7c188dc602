using System.Net;
using System.Text;
using System.Text.Json;
using Weft.Server.Auth;

namespace Weft.Server.Tests.Api;

public sealed class DeadLetterTests : IAsyncLifetime
{
    private ServerHarness _server = null!;

    public async Task InitializeAsync() => _server = await ServerHarness.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task FailedTask_IsADeadLetter_ItsBreakerOpens_AndReplayClearsIt()
    {
        using var uploaded = await _server.As(Roles.Author).PostAsync("/api/v1/dags", new StringContent("""
            id: breaker
            tasks:
              - id: call
                command: "echo service down; exit 3"
                circuit_breaker: { name: svc, failures: 1, cooldown: 1h }
              - id: after
                depends_on: [call]
                command: "true"
            """, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var runId = await _server.TriggerAsync("breaker");
        await _server.WaitForRunAsync("breaker", runId, "failed");
        var viewer = _server.As(Roles.Viewer);

        using (var letters = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/taskInstances?state=failed&dag_id=breaker")))
        {
            var letter = Assert.Single(letters.RootElement.GetProperty("task_instances").EnumerateArray());
            Assert.Equal(("breaker", runId), (letter.GetProperty("dag_id").GetString(), letter.GetProperty("run_id").GetString()));
            Assert.Equal("call", letter.GetProperty("task_instance").GetProperty("task_id").GetString());
            Assert.Equal(3, letter.GetProperty("task_instance").GetProperty("exit_code").GetInt32());
        }

        using (var circuits = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/circuitBreakers")))
        {
            var svc = Assert.Single(circuits.RootElement.GetProperty("circuit_breakers").EnumerateArray());
            Assert.Equal(("svc", "open", 1), (svc.GetProperty("name").GetString(), svc.GetProperty("state").GetString(), svc.GetProperty("failures").GetInt32()));
        }

        var metrics = await viewer.GetStringAsync("/metrics");
        Assert.Contains("weft_circuit_breaker_open{name=\"svc\",state=\"open\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("weft_circuit_breaker_failures{name=\"svc\"} 1", metrics, StringComparison.Ordinal);

        var replayPath = $"/api/v1/dags/breaker/dagRuns/{Uri.EscapeDataString(runId)}/taskInstances/call/replay";
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(replayPath, null)).StatusCode);
        using var replay = await _server.As(Roles.Operator).PostAsync(replayPath, null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        using var cleared = JsonDocument.Parse(await replay.Content.ReadAsStringAsync());
        Assert.Equal(["call", "after"], cleared.RootElement.GetProperty("task_ids").EnumerateArray().Select(e => e.GetString()));
    }
}
