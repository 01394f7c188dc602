using System.Diagnostics;
using System.Text.Json;
using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Migrating;

/// <summary>examples/migrating/go-orchestrator: retries, a circuit breaker across runs and processes, dead letters and replay.</summary>
public sealed class GoOrchestratorExampleTests : IDisposable
{
    private static readonly string Example = Path.Combine(Machine.RepositoryRoot(), "examples", "migrating", "go-orchestrator", "payments_sync.yaml");

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Outage_OpensTheBreakerAcrossRuns_DeadLettersAreListedAndReplayed()
    {
        var outage = _dir.Write("outage", "down");
        var param = $"outage_file={outage}";

        // Run 1: two failures open the breaker; the last retry waits out the cooldown, probes, fails.
        var clock = Stopwatch.StartNew();
        var first = await EngineRun.StartAsync(_dir.Weft(), Example, "--param", param);
        Assert.Equal(1, first.ExitCode);
        Assert.Equal("failed", first.TaskState("fetch_rates"));
        Assert.Equal(3, first.Task("fetch_rates").GetProperty("try_number").GetInt32());
        Assert.Equal("upstream_failed", first.TaskState("settle"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"the third attempt did not wait for the cooldown ({clock.Elapsed})");
        var log3 = await _dir.Weft().RunAsync("logs", first.RunId, "fetch_rates", "--attempt", "3");
        Assert.Contains("circuit breaker 'rates-api' is open after 2 consecutive failures", log3.Stdout, StringComparison.Ordinal);
        Assert.Contains("this attempt is the probe", log3.Stdout, StringComparison.Ordinal);

        // The dead letters, across runs.
        var failed = await _dir.Weft().RunAsync("tasks", "failed", "--json");
        Assert.True(failed.ExitCode == 0, failed.ToString());
        using (var json = JsonDocument.Parse(failed.Stdout))
        {
            var letter = Assert.Single(json.RootElement.GetProperty("task_instances").EnumerateArray());
            Assert.Equal((first.RunId, "fetch_rates"), (letter.GetProperty("run_id").GetString(), letter.GetProperty("task_id").GetString()));
        }

        // Run 2, another process: its first attempt finds the breaker open and waits; the outage ends meanwhile; the probe succeeds.
        var second = Task.Run(() => EngineRun.StartAsync(_dir.Weft(), Example, "--param", param));
        await Task.Delay(TimeSpan.FromSeconds(1));
        File.Delete(outage);
        var run2 = await second;
        Assert.True(run2.ExitCode == 0, run2.ToString());
        Assert.Equal(1, run2.Task("fetch_rates").GetProperty("try_number").GetInt32());
        var log = await _dir.Weft().RunAsync("logs", run2.RunId, "fetch_rates");
        Assert.Contains("is open after 3 consecutive failures; waiting until", log.Stdout, StringComparison.Ordinal);

        // Replay the dead letter: it and its downstream task run again, now with the service up.
        var replay = await _dir.Weft().RunAsync("tasks", "replay", first.RunId, "fetch_rates", "--json");
        Assert.True(replay.ExitCode == 0, replay.ToString());
        var replayed = EngineRun.Parse(replay);
        Assert.Equal("success", replayed.State);
        Assert.Equal("1.08", replayed.Output("fetch_rates", "rate"));
        Assert.Equal("success", replayed.TaskState("settle"));
        var none = await _dir.Weft().RunAsync("tasks", "failed");
        Assert.Contains("no failed task instances", none.Stdout + none.Stderr, StringComparison.Ordinal);
    }
}
