namespace Weft.Cli.Tests.EngineRuns;

/// <summary>Parallelism and fail-fast; these measure time, so they run alone.</summary>
[Collection(SerialEngineTests.Name)]
public sealed class ConcurrencyTests : IDisposable
{
    private const string FourSleeps = """
        id: four_sleeps
        tasks:
          - id: s1
            command: sleep 1
          - id: s2
            command: sleep 1
          - id: s3
            command: sleep 1
          - id: s4
            command: sleep 1
        """;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FourOneSecondTasks_WithParallelismFour_TakeAboutOneSecond()
    {
        var file = _dir.Write("four.yaml", FourSleeps);

        var run = await EngineRun.StartAsync(_dir.Weft(), file, "--parallelism", "4");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(2.5), $"run took {run.Elapsed}\n{run}");
        Assert.True(run.Elapsed >= TimeSpan.FromSeconds(0.95), $"run took {run.Elapsed}\n{run}");
    }

    [Fact]
    public async Task FourOneSecondTasks_WithParallelismOne_RunOneAfterAnother()
    {
        var file = _dir.Write("four.yaml", FourSleeps);

        var run = await EngineRun.StartAsync(_dir.Weft(), file, "--parallelism", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Elapsed > TimeSpan.FromSeconds(3.5), $"run took {run.Elapsed}\n{run}");

        // No two attempts overlap.
        var spans = new[] { "s1", "s2", "s3", "s4" }
            .Select(id => (Start: EngineRun.Time(run.Task(id), "start_date"), End: EngineRun.Time(run.Task(id), "end_date")))
            .OrderBy(s => s.Start)
            .ToList();
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i].Start >= spans[i - 1].End, run.ToString());
        }
    }

    [Fact]
    public async Task MaxActiveTasks_OfTheDag_LimitsWhenNoParallelismIsGiven()
    {
        var file = _dir.Write("limited.yaml", "max_active_tasks: 2\n" + FourSleeps);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Elapsed > TimeSpan.FromSeconds(1.9), $"run took {run.Elapsed}\n{run}");
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(3.5), $"run took {run.Elapsed}\n{run}");
    }

    [Fact]
    public async Task CriticalTaskFailing_FailsTheRunAtOnce_StopsRunningTasks_AndSkipsTheRest()
    {
        var file = _dir.Write("critical.yaml", """
            id: critical
            tasks:
              - id: long
                command: sleep 30.4721
              - id: guard
                critical: true
                command: sleep 0.2; exit 1
              - id: after_long
                depends_on: [long]
                command: touch after_long.txt
              - id: cleanup
                depends_on: [guard]
                trigger_rule: all_done
                command: touch cleanup.txt
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file, "--parallelism", "4");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("failed", run.State);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(3), $"the run did not fail fast: {run.Elapsed}\n{run}");
        Assert.Equal("failed", run.TaskState("guard"));
        Assert.Equal("failed", run.TaskState("long"));
        Assert.Contains("critical", run.Task("long").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("skipped", run.TaskState("after_long"));
        Assert.Equal("skipped", run.TaskState("cleanup"));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "after_long.txt")));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "cleanup.txt")));
        Assert.True(await Machine.GoneAsync("sleep 30.4721", TimeSpan.FromSeconds(2)), "the long task's process was left running");
    }

    [Fact]
    public async Task CriticalTask_WithRetries_IsRetriedBeforeFailingTheRun()
    {
        var file = _dir.Write("critical_retry.yaml", """
            id: critical_retry
            tasks:
              - id: guard
                critical: true
                retries: 1
                retry_delay: 0s
                command: |
                  if [ ! -f "$WEFT_TMP/m" ]; then touch "$WEFT_TMP/m"; exit 1; fi
              - id: next
                depends_on: [guard]
                command: "true"
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Task("guard").GetProperty("try_number").GetInt32());
        Assert.Equal("success", run.TaskState("next"));
    }
}
