using System.Collections.Concurrent;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

public abstract partial class StateStoreContract
{
    private static readonly DateTimeOffset Lease = T0.AddSeconds(30);

    [Fact]
    public async Task Claim_PicksQueuedOnGivenQueues_ByPriorityThenCreationOrder()
    {
        var run = Run();
        await Store.CreateRunAsync(run,
        [
            Instance(run, "low", TaskState.Queued, priority: 0),
            Instance(run, "high", TaskState.Queued, priority: 10, tryNumber: 3),
            Instance(run, "low_later", TaskState.Queued, priority: 0),
            Instance(run, "other_queue", TaskState.Queued, queue: "gpu", priority: 100),
            Instance(run, "not_queued", TaskState.Scheduled, priority: 100),
        ], Ct);

        var claimed = await Store.ClaimQueuedAsync("worker-1", ["default"], 2, T0, Lease, Ct);

        Assert.Equal(["high", "low"], claimed.Select(a => a.TaskId));
        var high = claimed[0];
        Assert.Equal(32, high.AttemptId.Length);
        Assert.Equal(new AttemptRecord(high.AttemptId, run.DagId, run.RunId, "high", 3, TaskState.Running, "worker-1", T0, null, Lease, null, null, null), high);

        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        var row = snapshot!.Tasks.Single(t => t.TaskId == "high");
        Assert.Equal(TaskState.Running, row.State);
        Assert.Equal(high.AttemptId, row.AttemptId);
        Assert.Equal(T0, row.StartDate);
        Assert.Equal(3, row.TryNumber);
        Assert.Equal(TaskState.Queued, snapshot.Tasks.Single(t => t.TaskId == "low_later").State);
        Assert.Equal([high], await Store.GetAttemptsAsync(run.DagId, run.RunId, "high", Ct));

        var rest = await Store.ClaimQueuedAsync("worker-2", ["default", "gpu"], 10, T0, Lease, Ct);
        Assert.Equal(["other_queue", "low_later"], rest.Select(a => a.TaskId));
        Assert.Empty(await Store.ClaimQueuedAsync("worker-2", ["default", "gpu"], 10, T0, Lease, Ct));
        Assert.Empty(await Store.ClaimQueuedAsync("worker-2", [], 10, T0, Lease, Ct));
    }

    [Fact]
    public async Task Claim_TwoConcurrentClaimers_NeverClaimTheSameInstance()
    {
        const int count = 200;
        var run = await CreateRunWithTasksAsync("run_1", count, TaskState.Queued);
        var other = await OpenInitializedAsync();
        var claims = new ConcurrentBag<AttemptRecord>();

        async Task ClaimUntilEmpty(IStateStore store, string owner)
        {
            await System.Threading.Tasks.Task.Yield();
            while (true)
            {
                var claimed = await store.ClaimQueuedAsync(owner, ["default"], 7, T0, Lease, Ct);
                if (claimed.Count == 0)
                {
                    return;
                }
                foreach (var attempt in claimed)
                {
                    claims.Add(attempt);
                }
            }
        }

        await System.Threading.Tasks.Task.WhenAll(
            ClaimUntilEmpty(Store, "a1"), ClaimUntilEmpty(Store, "a2"),
            ClaimUntilEmpty(other, "b1"), ClaimUntilEmpty(other, "b2"));

        Assert.Equal(count, claims.Count);
        Assert.Equal(count, claims.Select(a => a.TaskId).Distinct().Count());
        Assert.Equal(count, claims.Select(a => a.AttemptId).Distinct().Count());
        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        var byTask = claims.ToDictionary(a => a.TaskId);
        Assert.All(snapshot!.Tasks, t =>
        {
            Assert.Equal(TaskState.Running, t.State);
            Assert.Equal(byTask[t.TaskId].AttemptId, t.AttemptId);
        });
        Assert.Equal(count, (await Store.GetAttemptsAsync(run.DagId, run.RunId, null, Ct)).Count);
    }

    [Fact]
    public async Task Complete_CurrentAttempt_WritesInstanceAndAttempt()
    {
        var (run, attempt) = await ClaimOneAsync();
        var instance = Instance(run, "t00000", TaskState.Success) with
        {
            AttemptId = attempt.AttemptId, ExitCode = 0, StartDate = T0, EndDate = T0.AddSeconds(4), Outputs = Outputs("rows", "42"),
        };

        Assert.True(await Store.CompleteAttemptAsync(new AttemptCompletion(attempt.AttemptId, "worker-1", TaskState.Success, instance, T0.AddSeconds(4), 0, null), Ct));

        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        AssertSame(instance, snapshot!.Tasks[0]);
        var ended = Assert.Single(await Store.GetAttemptsAsync(run.DagId, run.RunId, "t00000", Ct));
        Assert.Equal(attempt with { State = TaskState.Success, EndDate = T0.AddSeconds(4), ExitCode = 0 }, ended);
    }

    [Fact]
    public async Task Complete_LateReportWithOldAttemptId_IsRefusedAndWritesNothing()
    {
        var (run, old) = await ClaimOneAsync();

        // The lease was lost: the attempt is failed and the task queued again, then claimed by another worker.
        var lost = new StateBatch();
        lost.AttemptsEnded.Add(old with { State = TaskState.Failed, EndDate = T0.AddMinutes(1), Reason = "worker lost" });
        lost.TaskInstances.Add(Instance(run, "t00000", TaskState.Queued, tryNumber: 2));
        await Store.CommitAsync(lost, Ct);
        var current = Assert.Single(await Store.ClaimQueuedAsync("worker-2", ["default"], 1, T0.AddMinutes(2), T0.AddMinutes(3), Ct));
        var before = await Store.GetRunAsync(run.DagId, run.RunId, Ct);

        var late = Instance(run, "t00000", TaskState.Success) with { AttemptId = old.AttemptId, ExitCode = 0, Outputs = Outputs("late", "yes") };
        Assert.False(await Store.CompleteAttemptAsync(new AttemptCompletion(old.AttemptId, "worker-1", TaskState.Success, late, T0.AddMinutes(4), 0, null), Ct));

        var after = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        AssertSame(before!.Tasks[0], after!.Tasks[0]);
        Assert.Equal(current.AttemptId, after.Tasks[0].AttemptId);
        var attempts = await Store.GetAttemptsAsync(run.DagId, run.RunId, "t00000", Ct);
        Assert.Equal([TaskState.Failed, TaskState.Running], attempts.Select(a => a.State));
        Assert.Equal("worker lost", attempts[0].Reason);
    }

    [Fact]
    public async Task Complete_Twice_SecondIsRefused()
    {
        var (run, attempt) = await ClaimOneAsync();
        var instance = Instance(run, "t00000", TaskState.Failed) with { AttemptId = attempt.AttemptId, ExitCode = 1 };
        var completion = new AttemptCompletion(attempt.AttemptId, "worker-1", TaskState.Failed, instance, T0.AddSeconds(1), 1, "exit code 1");

        Assert.True(await Store.CompleteAttemptAsync(completion, Ct));
        Assert.False(await Store.CompleteAttemptAsync(completion with { NewInstance = instance with { State = TaskState.Success } }, Ct));
        Assert.Equal(TaskState.Failed, (await Store.GetRunAsync(run.DagId, run.RunId, Ct))!.Tasks[0].State);
    }

    [Fact]
    public async Task Heartbeat_ExtendsLease_OnlyForTheOwnersRunningAttempt()
    {
        var (run, attempt) = await ClaimOneAsync();
        var extended = T0.AddMinutes(5);

        Assert.True(await Store.HeartbeatAsync(attempt.AttemptId, "worker-1", extended, Ct));
        Assert.Equal(extended, Assert.Single(await Store.GetAttemptsAsync(run.DagId, run.RunId, null, Ct)).LeaseExpiresAt);
        Assert.False(await Store.HeartbeatAsync(attempt.AttemptId, "someone-else", extended, Ct));
        Assert.False(await Store.HeartbeatAsync("unknown", "worker-1", extended, Ct));

        var instance = Instance(run, "t00000", TaskState.Success) with { AttemptId = attempt.AttemptId };
        Assert.True(await Store.CompleteAttemptAsync(new AttemptCompletion(attempt.AttemptId, "worker-1", TaskState.Success, instance, T0.AddSeconds(1), 0, null), Ct));
        Assert.False(await Store.HeartbeatAsync(attempt.AttemptId, "worker-1", extended.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task ExpiredAttempts_AreRunningAttemptsWithLeasePastNow()
    {
        var run = await CreateRunWithTasksAsync("run_1", 3, TaskState.Queued);
        var claimed = await Store.ClaimQueuedAsync("worker-1", ["default"], 3, T0, Lease, Ct);
        Assert.True(await Store.HeartbeatAsync(claimed[1].AttemptId, "worker-1", Lease.AddMinutes(10), Ct));
        var instance = Instance(run, claimed[2].TaskId, TaskState.Success) with { AttemptId = claimed[2].AttemptId };
        Assert.True(await Store.CompleteAttemptAsync(new AttemptCompletion(claimed[2].AttemptId, "worker-1", TaskState.Success, instance, T0.AddSeconds(1), 0, null), Ct));

        Assert.Empty(await Store.GetExpiredAttemptsAsync(Lease.AddSeconds(-1), Ct));
        Assert.Empty(await Store.GetExpiredAttemptsAsync(Lease, Ct));
        var expired = Assert.Single(await Store.GetExpiredAttemptsAsync(Lease.AddSeconds(1), Ct));
        Assert.Equal(claimed[0], expired);
        Assert.Equal(2, (await Store.GetExpiredAttemptsAsync(Lease.AddHours(1), Ct)).Count);
    }

    private async Task<(RunRecord Run, AttemptRecord Attempt)> ClaimOneAsync()
    {
        var run = await CreateRunWithTasksAsync("run_1", 1, TaskState.Queued);
        var attempt = Assert.Single(await Store.ClaimQueuedAsync("worker-1", ["default"], 5, T0, Lease, Ct));
        return (run, attempt);
    }
}
