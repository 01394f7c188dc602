namespace Weft.Cli.Tests.EngineRuns;

public sealed class RetryAndTimeoutTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FailingTwiceThenSucceeding_WithTwoRetries_SucceedsOnTheThirdTry()
    {
        var counter = Path.Combine(_dir.Path, "tries.txt");
        var file = _dir.Write("flaky.yaml", """
            id: flaky
            tasks:
              - id: flaky
                retries: 2
                retry_delay: 0s
                command: |
                  echo "$WEFT_ATTEMPT" >> "$WEFT_TMP/count"
                  cp "$WEFT_TMP/count" ../tries.txt
                  [ "$(wc -l < "$WEFT_TMP/count")" -ge 3 ] || exit 1
                  echo "done=yes" >> "$WEFT_OUTPUT"
              - id: after
                depends_on: [flaky]
                command: echo after
            """.Replace("../tries.txt", counter, StringComparison.Ordinal));

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("success", run.TaskState("flaky"));
        Assert.Equal(3, run.Task("flaky").GetProperty("try_number").GetInt32());
        Assert.Equal(3, run.Task("flaky").GetProperty("max_tries").GetInt32());
        Assert.Equal("yes", run.Output("flaky", "done"));
        Assert.Equal(["1", "2", "3"], Machine.Lines(counter));
        Assert.Equal("success", run.TaskState("after"));
    }

    [Fact]
    public async Task RetriesExhausted_TaskFailsAfterMaxTries()
    {
        var counter = Path.Combine(_dir.Path, "always.txt");
        var file = _dir.Write("always_fails.yaml", $"""
            id: always_fails
            tasks:
              - id: broken
                retries: 1
                retry_delay: 0s
                command: echo x >> '{counter}'; exit 7
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("failed", run.TaskState("broken"));
        Assert.Equal(2, run.Task("broken").GetProperty("try_number").GetInt32());
        Assert.Equal(2, run.Task("broken").GetProperty("max_tries").GetInt32());
        Assert.Equal(7, run.Task("broken").GetProperty("exit_code").GetInt32());
        Assert.Equal(2, Machine.Lines(counter).Length);
    }

    [Theory]
    [InlineData(4, 1, "failed")]  // not in the filter: no retry
    [InlineData(3, 3, "failed")]  // in the filter: every retry used
    public async Task RetryOnExitCodes_RetriesOnlyTheListedCodes(int exitCode, int expectedTries, string state)
    {
        var counter = Path.Combine(_dir.Path, $"codes{exitCode}.txt");
        var file = _dir.Write($"codes{exitCode}.yaml", $"""
            id: codes{exitCode}
            tasks:
              - id: picky
                retries: 2
                retry_delay: 0s
                retry_on_exit_codes: [3]
                command: echo try >> '{counter}'; exit {exitCode}
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(state, run.TaskState("picky"));
        Assert.Equal(expectedTries, run.Task("picky").GetProperty("try_number").GetInt32());
        Assert.Equal(exitCode, run.Task("picky").GetProperty("exit_code").GetInt32());
        Assert.Equal(expectedTries, Machine.Lines(counter).Length);
    }

    [Fact]
    public async Task RetryDelay_IsWaited()
    {
        var file = _dir.Write("delayed.yaml", """
            id: delayed
            tasks:
              - id: once_bad
                retries: 1
                retry_delay: 1s
                retry_backoff: fixed
                command: |
                  if [ ! -f "$WEFT_TMP/m" ]; then touch "$WEFT_TMP/m"; exit 1; fi
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Task("once_bad").GetProperty("try_number").GetInt32());
        // One second of delay, less up to 10% jitter.
        Assert.True(run.Elapsed >= TimeSpan.FromSeconds(0.85), $"the run took {run.Elapsed}: the retry did not wait\n{run}");
    }

    [Fact]
    public async Task Timeout_KillsTheProcessTree_AndFailsTheTask()
    {
        // A shell that starts a child: the whole tree must go, not just the shell.
        var file = _dir.Write("slow.yaml", """
            id: slow
            tasks:
              - id: sleeper
                timeout: 1s
                command: echo started; sleep 30.4711; echo never
              - id: direct
                timeout: 1s
                command: sleep 30.4712
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.Equal(1, run.ExitCode);
        foreach (var id in new[] { "sleeper", "direct" })
        {
            Assert.Equal("failed", run.TaskState(id));
            var reason = run.Task(id).GetProperty("reason").GetString();
            Assert.Contains("timed out", reason, StringComparison.OrdinalIgnoreCase);
            Assert.True(run.Task(id).GetProperty("duration_ms").GetInt64() < 10_000, run.ToString());
        }

        Assert.True(run.Elapsed < TimeSpan.FromSeconds(10), run.ToString());
        Assert.True(await Machine.GoneAsync("sleep 30.4711", TimeSpan.FromSeconds(2)), "the shell's child 'sleep 30.4711' was left running");
        Assert.True(await Machine.GoneAsync("sleep 30.4712", TimeSpan.FromSeconds(2)), "'sleep 30.4712' was left running");
    }

    [Fact]
    public async Task Timeout_IsPerAttempt_AndTheRetryCanSucceed()
    {
        var file = _dir.Write("slow_once.yaml", """
            id: slow_once
            tasks:
              - id: slow_first
                timeout: 1s
                retries: 1
                retry_delay: 0s
                command: |
                  if [ "$WEFT_ATTEMPT" = 1 ]; then sleep 30.4713; fi
                  echo quick
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Task("slow_first").GetProperty("try_number").GetInt32());
        Assert.True(await Machine.GoneAsync("sleep 30.4713", TimeSpan.FromSeconds(2)));
    }
}
