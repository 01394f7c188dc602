using Microsoft.Extensions.Logging.Abstractions;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Ownership;
using Weft.Engine.Storage;
using Weft.Engine.Workers;

namespace Weft.Engine.Tests.RunExecution;

/// <summary>
/// A run whose tasks go to workers, on SQLite in one process: the run's loop decides, a <see cref="QueueWorker"/> runs
/// the attempts, data flows between tasks run here and there, and a worker that takes an attempt and dies costs the task
/// no retry until the third time.
/// </summary>
public sealed class WorkerQueueTests
{
    // Short, but long enough that a loaded machine does not make the run owner fence itself mid-test.
    private static readonly LeaseOptions Short = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(500), LeaseDuration = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task TasksWithAQueue_RunOnTheWorker_OthersHere_OutputsFlowBothWays()
    {
        await using var fixture = await ExecutorFixture.CreateAsync();
        var dag = fixture.Load("""
            id: mixed
            tasks:
              - id: here
                command: echo "n=1" >> "$WEFT_OUTPUT"
              - id: there
                queue: gpu
                depends_on: [here]
                command: echo "from worker ${{ tasks.here.outputs.n }}"; echo "m=${{ tasks.here.outputs.n }}2" >> "$WEFT_OUTPUT"; echo "tmp=$WEFT_TMP" >> "$WEFT_OUTPUT"
              - id: back
                depends_on: [there]
                command: echo "m=${{ tasks.there.outputs.m }}" >> "$WEFT_OUTPUT"
              - id: hop
                type: noop
                queue: gpu
                depends_on: [there]
              - id: join
                type: noop
                depends_on: [hop]
            """);
        // Started from its file, which the worker loads too (as it would load the registered DAG).
        var run = (await new global::Weft.Engine.Operations.OperatorActions(fixture.Store, TimeProvider.System).CreateRunAsync(
            dag, new global::Weft.Engine.Operations.TriggerRequest(dag.Id), Path.Combine(fixture.Root, "dag.yaml"), actor: null, CancellationToken.None)).Run;

        await using var owner = await StartAsync(fixture, "scheduler", TaskPlacement.NamedQueues, []);
        await using var workerExecutor = await StartAsync(fixture, "worker", TaskPlacement.Local, ["gpu"], home: Path.Combine(fixture.Root, "worker-home"));
        var worker = new QueueWorker(workerExecutor, ["gpu"], 4, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var working = worker.RunAsync(stop.Token);

        var claimed = (await owner.ClaimAsync(dag.Id, run.RunId, CancellationToken.None))!;
        var result = await owner.ExecuteAsync(dag, claimed, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        // The run's WEFT_TMP folder on the worker's machine goes once the run has ended.
        var workerTmp = Path.Combine(fixture.Root, "worker-home", "tmp", dag.Id, run.RunId);
        for (var deadline = DateTime.UtcNow.AddSeconds(15); Directory.Exists(workerTmp) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await working;

        Assert.True(result.Run.State == RunState.Success, string.Join("; ", result.Tasks.Select(t => $"{t.TaskId} {t.State} {t.Reason}")));
        Assert.Equal("12", result.Tasks.Single(t => t.TaskId == "back").Outputs["m"]);
        // The shell task and the no-op that names the queue ran on the worker; the other no-op ended in the run's loop.
        Assert.Equal(2, worker.Completed);
        Assert.Equal(workerTmp, result.Tasks.Single(t => t.TaskId == "there").Outputs["tmp"]);
        Assert.False(Directory.Exists(workerTmp), "the worker kept the ended run's WEFT_TMP folder");
        var attempts = await fixture.Store.GetAttemptsAsync(dag.Id, run.RunId, null, CancellationToken.None);
        // The worker's log is in the database.
        var remote = attempts.Single(a => a.TaskId == "there");
        var log = System.Text.Encoding.UTF8.GetString((await fixture.Store.ReadLogAsync(remote.AttemptId, 0, CancellationToken.None))!);
        Assert.Contains("from worker 1", log);
        Assert.Empty(await fixture.Store.GetQueuedAsync([remote.AttemptId], CancellationToken.None));
    }

    [Fact]
    public async Task AnAttemptWaitingForAWorker_StartsWhenTheWorkerBeginsIt_NotWhenItWasQueued()
    {
        await using var fixture = await ExecutorFixture.CreateAsync();
        var dag = fixture.Load("""
            id: waits
            tasks:
              - id: remote
                queue: gpu
                command: "true"
            """);
        var run = (await new global::Weft.Engine.Operations.OperatorActions(fixture.Store, TimeProvider.System).CreateRunAsync(
            dag, new global::Weft.Engine.Operations.TriggerRequest(dag.Id), Path.Combine(fixture.Root, "dag.yaml"), actor: null, CancellationToken.None)).Run;
        await using var owner = await StartAsync(fixture, "scheduler", TaskPlacement.NamedQueues, []);
        var claimed = (await owner.ClaimAsync(dag.Id, run.RunId, CancellationToken.None))!;
        var executing = owner.ExecuteAsync(dag, claimed, null, CancellationToken.None);

        // No worker serves the queue for a while: the attempt waits, queued.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var workerStarted = DateTimeOffset.UtcNow;
        await using var workerExecutor = await StartAsync(fixture, "worker", TaskPlacement.Local, ["gpu"], home: Path.Combine(fixture.Root, "worker-home"));
        var worker = new QueueWorker(workerExecutor, ["gpu"], 1, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var working = worker.RunAsync(stop.Token);
        var result = await executing.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await working;

        var task = result.Tasks.Single();
        Assert.Equal(TaskState.Success, task.State);
        Assert.True(task.StartDate >= workerStarted.AddMilliseconds(-5), $"started {task.StartDate:O}, before the worker {workerStarted:O}");
        Assert.True(task.EndDate - task.StartDate < TimeSpan.FromSeconds(1), $"took {task.EndDate - task.StartDate}: the wait in the queue was counted");
        var attempt = (await fixture.Store.GetAttemptsAsync(dag.Id, run.RunId, "remote", CancellationToken.None)).Single();
        Assert.Equal(task.EndDate, attempt.EndDate);
    }

    [Fact]
    public async Task AWorkerDyingWithTheAttempt_RequeuesItWithoutARetry_TheThirdTimeTheTaskFailsAsLostThreeTimes()
    {
        await using var fixture = await ExecutorFixture.CreateAsync();
        var dag = fixture.Load("""
            id: unlucky
            tasks:
              - id: x
                queue: gpu
                command: "true"
            """);
        var run = await fixture.CreateRunAsync(dag);
        await using var owner = await StartAsync(fixture, "scheduler", TaskPlacement.NamedQueues, []);
        var claimed = (await owner.ClaimAsync(dag.Id, run.RunId, CancellationToken.None))!;
        var executing = owner.ExecuteAsync(dag, claimed, null, CancellationToken.None);

        for (var death = 1; death <= 3; death++)
        {
            // A worker that takes the attempt and dies: its lease simply runs out.
            var ghost = $"ghost{death}";
            IReadOnlyList<QueuedAttempt> taken = [];
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (taken.Count == 0 && DateTime.UtcNow < deadline)
            {
                var now = DateTimeOffset.UtcNow;
                await fixture.Store.RegisterOwnerAsync(new OwnerRecord(ghost, "worker", "elsewhere", 1, 1, now, now, now.AddMilliseconds(300)) { Queues = ["gpu"] }, CancellationToken.None);
                taken = await fixture.Store.ClaimQueuedAsync(ghost, ["gpu"], 1, now, CancellationToken.None);
                await Task.Delay(20);
            }

            Assert.True(taken.Count == 1, $"death {death}: nothing to take");
            Assert.Equal(death, taken[0].TryNumber);
        }

        var result = await executing.WaitAsync(TimeSpan.FromSeconds(10));
        var x = result.Tasks.Single();
        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Equal((TaskState.Failed, "lost 3 times", 3), (x.State, x.Reason, x.LostCount));
        // None of the three used up a retry: the task had none, yet it was tried three times.
        Assert.Equal(3, x.TryNumber);
        var attempts = await fixture.Store.GetAttemptsAsync(dag.Id, run.RunId, "x", CancellationToken.None);
        Assert.Equal(["lost: its worker ghost1 stopped before it ended (1 of 3)", "lost: its worker ghost2 stopped before it ended (2 of 3)", "lost: its worker ghost3 stopped before it ended (3 of 3)"],
            attempts.Select(a => a.Reason));
        // A late result from the dead worker is refused.
        Assert.Empty(await fixture.Store.ReportQueuedAsync("ghost3", [], [new QueuedResult(attempts[2].AttemptId, "{\"outcome\":\"success\"}")], DateTimeOffset.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task AWorkerShutDown_KillsItsAttempt_WhichRunsAgainOnAnotherWorker_WithoutCountingAsLost()
    {
        await using var fixture = await ExecutorFixture.CreateAsync();
        var marker = Path.Combine(fixture.Root, "ran");
        var dag = fixture.Load($"""
            id: deploy
            tasks:
              - id: x
                queue: gpu
                command: echo "$WEFT_ATTEMPT" >> '{marker}'; if [ "$WEFT_ATTEMPT" = 1 ]; then sleep 30; fi
            """);
        var run = (await new global::Weft.Engine.Operations.OperatorActions(fixture.Store, TimeProvider.System).CreateRunAsync(
            dag, new global::Weft.Engine.Operations.TriggerRequest(dag.Id), Path.Combine(fixture.Root, "dag.yaml"), actor: null, CancellationToken.None)).Run;
        await using var owner = await StartAsync(fixture, "scheduler", TaskPlacement.NamedQueues, []);
        var claimed = (await owner.ClaimAsync(dag.Id, run.RunId, CancellationToken.None))!;
        var executing = owner.ExecuteAsync(dag, claimed, null, CancellationToken.None);

        await using (var first = await StartAsync(fixture, "worker", TaskPlacement.Local, ["gpu"], home: Path.Combine(fixture.Root, "w1")))
        {
            using var stop = new CancellationTokenSource();
            var working = new QueueWorker(first, ["gpu"], 1, TimeProvider.System, NullLogger.Instance).RunAsync(stop.Token);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!File.Exists(marker) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            // Shut down (a deploy): its attempt is killed and handed back.
            await stop.CancelAsync();
            await working.WaitAsync(TimeSpan.FromSeconds(20));
        }

        await using var second = await StartAsync(fixture, "worker", TaskPlacement.Local, ["gpu"], home: Path.Combine(fixture.Root, "w2"));
        using var stopSecond = new CancellationTokenSource();
        var secondWorking = new QueueWorker(second, ["gpu"], 1, TimeProvider.System, NullLogger.Instance).RunAsync(stopSecond.Token);
        var result = await executing.WaitAsync(TimeSpan.FromSeconds(20));
        await stopSecond.CancelAsync();
        await secondWorking;

        var x = result.Tasks.Single();
        Assert.Equal(RunState.Success, result.Run.State);
        Assert.Equal((2, 0), (x.TryNumber, x.LostCount));
        Assert.Equal(["1", "2"], File.ReadAllLines(marker));
        var attempts = await fixture.Store.GetAttemptsAsync(dag.Id, run.RunId, "x", CancellationToken.None);
        Assert.Equal("interrupted: its worker was stopped", attempts[0].Reason);
    }

    private static Task<Executor> StartAsync(ExecutorFixture fixture, string kind, TaskPlacement placement, IReadOnlyList<string> queues, string? home = null) =>
        Executor.StartAsync(
            fixture.Store,
            new ExecutorSettings { Kind = kind, Home = home ?? fixture.Home, Placement = placement, Queues = queues, Lease = Short, TasksDir = Path.Combine(fixture.Root, "tasks") },
            TimeProvider.System,
            NullLogger.Instance,
            CancellationToken.None);
}
