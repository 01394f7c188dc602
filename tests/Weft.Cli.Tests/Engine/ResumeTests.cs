using Weft.Storage.Sqlite;

namespace Weft.Cli.Tests.EngineRuns;

/// <summary>A run killed or interrupted half-way, then resumed.</summary>
[Collection(SerialEngineTests.Name)]
public sealed class ResumeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public ResumeTests()
    {
        _dir.Write("chain.yaml", """
            id: chain
            tasks:
              - id: a
                command: echo a >> a.count; echo "$WEFT_RUN_ID" > run_id.txt
              - id: b
                depends_on: [a]
                retries: 1
                retry_delay: 0s
                command: echo "$WEFT_ATTEMPT" >> b.count; echo "b working"; sleep 2
              - id: c
                depends_on: [b]
                command: echo c >> c.count
            """);
    }

    public void Dispose() => _dir.Dispose();

    private string At(string name) => Path.Combine(_dir.Path, name);

    [Fact]
    public async Task Kill9_WhileATaskRuns_ThenResume_FinishesWithoutRerunningSucceededTasks()
    {
        string runId;
        using (var weft = new BackgroundWeft(_dir.Path, "run", "chain.yaml", "--json"))
        {
            await weft.WaitUntilAsync(() => Machine.Lines(At("b.count")).Length == 1, TimeSpan.FromSeconds(30), "task b starting");
            Kill9(weft);
            runId = File.ReadAllText(At("run_id.txt")).Trim();
        }

        var resumed = EngineRun.Parse(await _dir.Weft().RunAsync("run", "--resume", runId, "--json"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal("success", resumed.State);
        Assert.Equal(runId, resumed.RunId);
        Assert.Single(Machine.Lines(At("a.count")));
        Assert.Equal(1, resumed.Task("a").GetProperty("try_number").GetInt32());
        Assert.Equal("success", resumed.TaskState("b"));
        Assert.Equal(2, resumed.Task("b").GetProperty("try_number").GetInt32());
        Assert.Equal(["1", "2"], Machine.Lines(At("b.count")));
        Assert.Single(Machine.Lines(At("c.count")));

        // The attempt cut short by the kill is recorded as lost; it did not use up b's retry.
        await using var store = new SqliteStateStore(Path.Combine(_dir.Path, ".weft", "weft.db"));
        await store.InitializeAsync(CancellationToken.None);
        var attempts = await store.GetAttemptsAsync("chain", runId, "b", CancellationToken.None);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(Weft.Core.Runs.TaskState.Failed, attempts[0].State);
        Assert.StartsWith("lost", attempts[0].Reason, StringComparison.Ordinal);
        Assert.Equal(Weft.Core.Runs.TaskState.Success, attempts[1].State);
    }

    [Fact]
    public async Task Kill9_WithNoRetries_ResumeRunsTheLostTaskAgain_AndKillsItsOrphan()
    {
        _dir.Write("no_retry.yaml", """
            id: no_retry
            tasks:
              - id: a
                command: echo "$WEFT_RUN_ID" > run_id2.txt
              - id: b
                depends_on: [a]
                # The first attempt sleeps long: killing weft leaves that sleep behind, and resume must kill it.
                command: echo b >> b2.count; if [ "$(wc -l < b2.count)" -eq 1 ]; then sleep 31; fi
              - id: c
                depends_on: [b]
                command: echo c >> c2.count
            """);
        string runId;
        using (var weft = new BackgroundWeft(_dir.Path, "run", "no_retry.yaml", "--json"))
        {
            await weft.WaitUntilAsync(() => Machine.Lines(At("b2.count")).Length == 1, TimeSpan.FromSeconds(30), "task b starting");
            Kill9(weft);
            runId = File.ReadAllText(At("run_id2.txt")).Trim();
        }

        var resumed = EngineRun.Parse(await _dir.Weft().RunAsync("run", "--resume", runId, "--json"));

        // A lost attempt is not the task's fault: it runs again without using a retry, after its orphan is killed.
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal("success", resumed.State);
        Assert.Equal("success", resumed.TaskState("b"));
        Assert.Equal(2, Machine.Lines(At("b2.count")).Length);
        Assert.Single(Machine.Lines(At("c2.count")));
        Assert.False(Machine.ProcessAlive("^sleep 31$"), "the killed run's sleep was left running");
    }

    [Theory]
    [InlineData("INT", 130)]  // Ctrl+C
    [InlineData("TERM", 143)] // a service manager stopping weft
    public async Task CtrlC_LeavesTheRunResumable_AndResumeFinishesIt(string signal, int exitCode)
    {
        WeftResult interrupted;
        using (var weft = new BackgroundWeft(_dir.Path, "run", "chain.yaml"))
        {
            await weft.WaitUntilAsync(() => Machine.Lines(At("b.count")).Length == 1, TimeSpan.FromSeconds(30), "task b starting");
            await Task.Delay(200);
            weft.Signal(signal);
            interrupted = await weft.WaitAsync(TimeSpan.FromSeconds(20));
        }

        var runId = File.ReadAllText(At("run_id.txt")).Trim();
        Assert.True(interrupted.ExitCode == exitCode, interrupted.ToString());
        Assert.Contains("--resume " + runId, interrupted.Stderr, StringComparison.Ordinal);
        // The interrupted attempt's process is stopped, not left behind.
        Assert.False(Machine.ProcessAlive("sleep 2$"), "task b's sleep was left running");
        Assert.Empty(Machine.Lines(At("c.count")));

        var resumed = EngineRun.Parse(await _dir.Weft().RunAsync("run", "--resume", runId, "--json"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal("success", resumed.State);
        Assert.Single(Machine.Lines(At("a.count")));
        Assert.Equal(2, Machine.Lines(At("b.count")).Length);
        Assert.Single(Machine.Lines(At("c.count")));
    }

    [Fact]
    public async Task ResumingAFinishedRun_RunsNothingAgain()
    {
        var first = await EngineRun.StartAsync(_dir.Weft(), "chain.yaml");
        Assert.True(first.ExitCode == 0, first.ToString());

        var again = EngineRun.Parse(await _dir.Weft().RunAsync("run", "--resume", first.RunId, "--json"));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("success", again.State);
        Assert.Single(Machine.Lines(At("a.count")));
        Assert.Single(Machine.Lines(At("b.count")));
    }

    [Fact]
    public async Task ResumingAnUnknownRun_Fails()
    {
        var result = await _dir.Weft().RunAsync("run", "--resume", "manual__nope");

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("weft: error: ", result.StderrLines[0], StringComparison.Ordinal);
    }

    // kill -9 of the weft process alone: its children are orphaned, as after a real crash.
    private static void Kill9(BackgroundWeft weft) => weft.Signal("KILL");
}
