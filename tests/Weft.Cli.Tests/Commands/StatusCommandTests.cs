using System.Globalization;
using System.Text.Json;
using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Commands;

/// <summary><c>weft status</c> through the binary: what an operator reads after a run, and while one runs.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private const string Nightly = """
        id: nightly
        schedule: "0 2 * * *"
        start_date: 2024-01-01
        tasks:
          - id: fine
            command: echo fine
          - id: broken
            command: echo about to fail; exit 3
            depends_on: [fine]
        """;

    private const string Slow = """
        id: slow
        tasks:
          - id: quick
            command: echo quick
          - id: long
            command: sleep 30
            depends_on: [quick]
        """;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Status_AfterAFailedRun_ShowsTheFailureTheNextRunAndThePools()
    {
        _dir.Write("dags/nightly.yaml", Nightly);
        var run = await _dir.Weft().RunAsync("run", "nightly", "--json");
        Assert.True(run.ExitCode == 1, run.ToString());
        var runId = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("run_id").GetString()!;
        Assert.True((await _dir.Weft().RunAsync("pools", "set", "gpu", "3")).ExitCode == 0);
        var trigger = await _dir.Weft().RunAsync("dags", "trigger", "nightly");
        Assert.True(trigger.ExitCode == 0, trigger.ToString());

        var text = await _dir.Weft().RunAsync("status");

        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.StdoutLines;
        string Row(string section, string start) =>
            lines.SkipWhile(l => !l.StartsWith(section, StringComparison.Ordinal)).Skip(1)
                .TakeWhile(l => l.Length > 0)
                .FirstOrDefault(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no row '{start}' under '{section}'\n{text.Stdout}");
        var failure = Row("Recent failures (1)", "broken");
        Assert.Contains(runId, failure);
        Assert.Contains("exit code 3", failure);
        var queued = Row("Active runs (1)", "nightly");
        Assert.Contains("queued", queued);
        Assert.Contains("0/2", queued);
        var next = Row("Next runs (1)", "nightly");
        Assert.Contains("0 2 * * *", next);
        Assert.Contains(" 02:00:00Z", next);
        Assert.Matches(@"gpu\s+\S+ 0\s+3", Row("Pools (2)", "gpu"));
        Assert.Contains("none", Row("Workers (0 live)", "none"));

        var json = await _dir.Weft().RunAsync("status", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var root = JsonDocument.Parse(json.Stdout).RootElement;
        var active = Assert.Single(root.GetProperty("active_runs").EnumerateArray());
        Assert.Equal("nightly", active.GetProperty("dag_id").GetString());
        Assert.Equal("queued", active.GetProperty("state").GetString());
        Assert.Equal(0, active.GetProperty("tasks_done").GetInt32());
        Assert.Equal(2, active.GetProperty("tasks_total").GetInt32());
        Assert.Equal(2, active.GetProperty("task_states").EnumerateObject().Sum(p => p.Value.GetInt32()));
        var failed = Assert.Single(root.GetProperty("recent_failures").EnumerateArray());
        Assert.Equal("broken", failed.GetProperty("task_id").GetString());
        Assert.Equal(runId, failed.GetProperty("run_id").GetString());
        Assert.Equal(3, failed.GetProperty("exit_code").GetInt32());
        Assert.EndsWith("Z", failed.GetProperty("end_date").GetString());
        var due = Assert.Single(root.GetProperty("next_runs").EnumerateArray());
        var runAfter = DateTimeOffset.Parse(due.GetProperty("run_after").GetString()!, CultureInfo.InvariantCulture);
        var logical = DateTimeOffset.Parse(due.GetProperty("logical_date").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(runAfter - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));
        Assert.Equal(TimeSpan.FromDays(1), runAfter - logical);
        Assert.Equal(2, runAfter.UtcDateTime.Hour);
        Assert.False(due.GetProperty("is_paused").GetBoolean());
        var gpu = root.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "gpu");
        Assert.Equal(3, gpu.GetProperty("open_slots").GetInt32());
        Assert.Equal(0, root.GetProperty("workers").GetArrayLength());
    }

    [Fact]
    public async Task Status_WhileARunRuns_ShowsItsProgressAndItsProcess()
    {
        _dir.Write("dags/slow.yaml", Slow);
        using var running = new BackgroundWeft(_dir.Path, "run", "slow");
        var root = await StatusWhenAsync(running, r => r.GetProperty("active_runs").EnumerateArray().Any(a => a.GetProperty("tasks_done").GetInt32() == 1));

        var active = Assert.Single(root.GetProperty("active_runs").EnumerateArray());
        Assert.Equal("running", active.GetProperty("state").GetString());
        Assert.Equal(1, active.GetProperty("task_states").GetProperty("success").GetInt32());
        Assert.Equal(1, active.GetProperty("task_states").GetProperty("running").GetInt32());
        var worker = Assert.Single(root.GetProperty("workers").EnumerateArray());
        Assert.Equal("run", worker.GetProperty("kind").GetString());
        Assert.Equal(running.Pid, worker.GetProperty("pid").GetInt32());
        Assert.True(worker.GetProperty("is_alive").GetBoolean());
        Assert.Equal(worker.GetProperty("owner_id").GetString(), active.GetProperty("owner").GetString());

        var text = await _dir.Weft().RunAsync("status");
        Assert.Contains(text.StdoutLines, l => l.TrimStart().StartsWith("slow ", StringComparison.Ordinal) && l.Contains("1/2") && l.Contains("1 running"));
        Assert.Contains(text.StdoutLines, l => l.TrimStart().StartsWith("run ", StringComparison.Ordinal)
            && l.Contains($" {running.Pid} ", StringComparison.Ordinal) && l.Contains("live"));
    }

    /// <summary>Reads <c>weft status --json</c> until <paramref name="condition"/> holds on it (the run in the background goes on).</summary>
    private async Task<JsonElement> StatusWhenAsync(BackgroundWeft running, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await _dir.Weft().RunAsync("status", "--json");
            Assert.True(status.ExitCode == 0, status.ToString());
            var root = JsonDocument.Parse(status.Stdout).RootElement;
            if (condition(root))
            {
                return root;
            }

            Assert.False(running.HasExited, running.Output);
            Assert.True(DateTime.UtcNow < deadline, $"status never showed the run's progress\n{status.Stdout}\n{running.Output}");
            await Task.Delay(200);
        }
    }
}
