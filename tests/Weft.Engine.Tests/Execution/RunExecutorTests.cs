using System.Diagnostics;
using System.Text;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Xunit.Abstractions;

namespace Weft.Engine.Tests.RunExecution;

/// <summary>The local executor against a real SQLite database.</summary>
public sealed class RunExecutorTests(ITestOutputHelper output)
{
    private static bool SleepAlive(string marker)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", "sleep " + marker]) { RedirectStandardOutput = true })!;
        pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return pgrep.ExitCode == 0;
    }

    [Fact]
    public async Task TenThousandNoopTasks_InLayers_AllSucceed()
    {
        await using var fx = await ExecutorFixture.CreateAsync();
        const int layers = 100, width = 100;
        var text = new StringBuilder("{\"id\": \"big\", \"max_active_tasks\": 64, \"tasks\": [\n");
        for (var l = 0; l < layers; l++)
        {
            for (var i = 0; i < width; i++)
            {
                var deps = l == 0 ? "" : $"\"t{l - 1}_{i}\", \"t{l - 1}_{(i + 1) % width}\"";
                text.Append($"{{\"id\": \"t{l}_{i}\", \"depends_on\": [{deps}]}}");
                text.Append(l == layers - 1 && i == width - 1 ? "\n" : ",\n");
            }
        }

        text.Append("]}");
        var dag = fx.Load(text.ToString(), "big.json");
        var run = await fx.CreateRunAsync(dag);

        var clock = Stopwatch.StartNew();
        var result = await fx.Executor().ExecuteAsync(dag, run.RunId, CancellationToken.None);
        clock.Stop();

        output.WriteLine($"{layers * width} tasks in {clock.Elapsed.TotalSeconds:0.00}s: {layers * width / clock.Elapsed.TotalSeconds:0} tasks/s");
        Assert.Equal(RunState.Success, result.Run.State);
        Assert.Equal(layers * width, result.Tasks.Count);
        Assert.All(result.Tasks, t => Assert.Equal(TaskState.Success, t.State));

        // What the executor returned is what it stored.
        var stored = await fx.Store.GetRunAsync("big", run.RunId, CancellationToken.None);
        Assert.Equal(RunState.Success, stored!.Run.State);
        Assert.All(stored.Tasks, t => Assert.Equal(TaskState.Success, t.State));
        Assert.All(stored.Tasks, t => Assert.Equal(1, t.TryNumber));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task Resume_AfterACrash_RequeuesLostAttemptsWithoutUsingARetry(int retries)
    {
        await using var fx = await ExecutorFixture.CreateAsync();
        var marks = Path.Combine(fx.Root, "marks");
        var dag = fx.Load($"""
            id: crashed
            tasks:
              - id: a
                command: echo a >> '{marks}'
              - id: b
                depends_on: [a]
                retries: {retries}
                retry_delay: 0s
                command: echo b >> '{marks}'
              - id: c
                depends_on: [b]
                command: echo c >> '{marks}'
            """);
        var run = await fx.CreateRunAsync(dag);

        // What a process that died while b ran leaves behind: a done, b running with an attempt, the run running.
        var snapshot = (await fx.Store.GetRunAsync("crashed", run.RunId, CancellationToken.None))!;
        var started = DateTimeOffset.UtcNow.AddSeconds(-5);
        var a = snapshot.Tasks.Single(t => t.TaskId == "a");
        var b = snapshot.Tasks.Single(t => t.TaskId == "b");
        var batch = new StateBatch();
        batch.Runs.Add(snapshot.Run with { State = RunState.Running, StartDate = started });
        batch.AttemptsStarted.Add(new AttemptRecord("attempt-a", "crashed", run.RunId, "a", 1, TaskState.Success, "gone:1", started, started.AddSeconds(1), null, 0, null, null));
        batch.AttemptsStarted.Add(new AttemptRecord("attempt-b", "crashed", run.RunId, "b", 1, TaskState.Running, "gone:1", started.AddSeconds(1), null, null, null, null, null));
        batch.TaskInstances.Add(a with { State = TaskState.Success, TryNumber = 1, StartDate = started, EndDate = started.AddSeconds(1), ExitCode = 0, AttemptId = "attempt-a" });
        batch.TaskInstances.Add(b with { State = TaskState.Running, TryNumber = 1, StartDate = started.AddSeconds(1), AttemptId = "attempt-b" });
        await fx.Store.CommitAsync(batch, CancellationToken.None);

        var result = await fx.Executor().ExecuteAsync(dag, run.RunId, CancellationToken.None);

        // Lost, not failed: b runs again without using one of its retries, whatever their number.
        Assert.Equal(RunState.Success, result.Run.State);
        var lines = File.Exists(marks) ? File.ReadAllLines(marks) : [];
        Assert.Equal(["b", "c"], lines);
        var bResult = result.Tasks.Single(t => t.TaskId == "b");
        Assert.Equal(TaskState.Success, bResult.State);
        Assert.Equal(2, bResult.TryNumber);
        Assert.Equal(1, bResult.LostCount);
        var attempts = await fx.Store.GetAttemptsAsync("crashed", run.RunId, "b", CancellationToken.None);
        var lost = attempts.Single(x => x.AttemptId == "attempt-b");
        Assert.Equal(TaskState.Failed, lost.State);
        Assert.StartsWith("lost:", lost.Reason);
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public async Task Resume_AfterTheThirdLoss_FailsTheTaskAsLostThreeTimes()
    {
        await using var fx = await ExecutorFixture.CreateAsync();
        var dag = fx.Load("""
            id: lost3
            tasks:
              - id: b
                retries: 5
                command: "true"
              - id: c
                depends_on: [b]
                command: "true"
            """);
        var run = await fx.CreateRunAsync(dag);
        var snapshot = (await fx.Store.GetRunAsync("lost3", run.RunId, CancellationToken.None))!;
        var b = snapshot.Tasks.Single(t => t.TaskId == "b");
        var batch = new StateBatch();
        batch.Runs.Add(snapshot.Run with { State = RunState.Running, StartDate = DateTimeOffset.UtcNow });
        batch.AttemptsStarted.Add(new AttemptRecord("attempt-b3", "lost3", run.RunId, "b", 3, TaskState.Running, "gone:1", DateTimeOffset.UtcNow, null, null, null, null, null));
        batch.TaskInstances.Add(b with { State = TaskState.Running, TryNumber = 3, AttemptId = "attempt-b3", LostCount = 2 });
        await fx.Store.CommitAsync(batch, CancellationToken.None);

        var result = await fx.Executor().ExecuteAsync(dag, run.RunId, CancellationToken.None);

        Assert.Equal(RunState.Failed, result.Run.State);
        var failed = result.Tasks.Single(t => t.TaskId == "b");
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal("lost 3 times", failed.Reason);
        Assert.Equal(TaskState.UpstreamFailed, result.Tasks.Single(t => t.TaskId == "c").State);
    }

    [Fact]
    public async Task ParallelismOne_StartsReadyTasksByPriority_ThenFileOrder()
    {
        await using var fx = await ExecutorFixture.CreateAsync();
        var order = Path.Combine(fx.Root, "order");
        var dag = fx.Load($"""
            id: prio
            defaults:
              command: echo "$WEFT_TASK_ID" >> '{order}'
            tasks:
              - id: low
              - id: high
                priority: 10
              - id: mid
                priority: 5
              - id: high_too
                priority: 10
              - id: negative
                priority: -1
              - id: plain
            """);
        var run = await fx.CreateRunAsync(dag);

        var result = await fx.Executor(parallelism: 1).ExecuteAsync(dag, run.RunId, CancellationToken.None);

        Assert.Equal(RunState.Success, result.Run.State);
        Assert.Equal(["high", "high_too", "mid", "low", "plain", "negative"], File.ReadAllLines(order));
        // One at a time: each attempt starts after the one before it ended.
        var spans = result.Tasks.OrderBy(t => t.StartDate).ToList();
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i].StartDate >= spans[i - 1].EndDate, $"{spans[i].TaskId} started before {spans[i - 1].TaskId} ended");
        }
    }

    [Fact]
    public async Task Cancelling_InterruptsTheRun_AndASecondExecutionFinishesIt()
    {
        await using var fx = await ExecutorFixture.CreateAsync();
        var marks = Path.Combine(fx.Root, "marks");
        var dag = fx.Load($"""
            id: interrupted
            tasks:
              - id: a
                command: echo a >> '{marks}'
              - id: slow
                depends_on: [a]
                command: echo slow >> '{marks}'; sleep 30.4731
              - id: z
                depends_on: [slow]
                command: echo z >> '{marks}'
            """);
        var run = await fx.CreateRunAsync(dag);

        using var cts = new CancellationTokenSource();
        var first = fx.Executor().ExecuteAsync(dag, run.RunId, cts.Token);
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(marks) && File.ReadAllLines(marks).Contains("slow")))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "slow never started");
            await Task.Delay(50);
        }

        await cts.CancelAsync();
        var interrupted = await first;

        Assert.Equal(RunState.Running, interrupted.Run.State);
        Assert.Equal(TaskState.Success, interrupted.Tasks.Single(t => t.TaskId == "a").State);
        Assert.NotEqual(TaskState.Success, interrupted.Tasks.Single(t => t.TaskId == "slow").State);
        Assert.False(SleepAlive("30.4731"), "the interrupted attempt's process was left running");

        // The second execution (same DAG, the slow task now quick) runs what is left.
        var quick = fx.Load($"""
            id: interrupted
            tasks:
              - id: a
                command: echo a >> '{marks}'
              - id: slow
                depends_on: [a]
                command: echo slow >> '{marks}'
              - id: z
                depends_on: [slow]
                command: echo z >> '{marks}'
            """, "quick.yaml");
        var done = await fx.Executor().ExecuteAsync(quick, run.RunId, CancellationToken.None);

        Assert.Equal(RunState.Success, done.Run.State);
        Assert.Equal(["a", "slow", "slow", "z"], File.ReadAllLines(marks));
    }

    [Fact]
    public async Task ATaskWhoseLogCannotBeWritten_Fails_WithTheReason_AndTheOthersGoOn()
    {
        await using var fx = await ExecutorFixture.CreateAsync();
        var dag = fx.Load("""
            id: unlogged
            tasks:
              - id: noisy
                command: for i in $(seq 1 200); do echo line $i; done; sleep 30
              - id: quiet
                command: "true"
            """);
        var run = await fx.CreateRunAsync(dag);

        // noisy's log folder cannot be made: a file stands where it should be.
        var blocked = Path.Combine(fx.Home, "logs", "dag_id=unlogged", "run_id=" + run.RunId);
        Directory.CreateDirectory(blocked);
        await File.WriteAllTextAsync(Path.Combine(blocked, "task_id=noisy"), "");

        var clock = Stopwatch.StartNew();
        var result = await fx.Executor().ExecuteAsync(dag, run.RunId, CancellationToken.None);

        Assert.Equal(RunState.Failed, result.Run.State);
        var noisy = result.Tasks.Single(t => t.TaskId == "noisy");
        Assert.Equal(TaskState.Failed, noisy.State);
        Assert.StartsWith("its log could not be written: ", noisy.Reason, StringComparison.Ordinal);
        Assert.Equal(TaskState.Success, result.Tasks.Single(t => t.TaskId == "quiet").State);
        // Stopped when its log failed, not left to finish its sleep.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }
}
