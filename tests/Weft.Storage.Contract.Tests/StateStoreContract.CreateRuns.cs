using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

public abstract partial class StateStoreContract
{
    [StoreFact]
    public async Task CreateRuns_InsertsEveryRunWithItsTasks_InOrder()
    {
        var a = Run("etl", "scheduled_a", logicalDate: T0);
        var b = Run("other", "scheduled_a", logicalDate: T0);
        var c = Run("etl", "scheduled_c", logicalDate: T0.AddHours(1));

        var created = await Store.CreateRunsAsync(
            [new NewRun(a, [Instance(a, "t1"), Instance(a, "t2")]), new NewRun(b, [Instance(b, "t1")]), new NewRun(c, [])], null, Ct);

        Assert.Equal([a, b, c], created);
        var snapshot = await Store.GetRunAsync("etl", "scheduled_a", Ct);
        Assert.Equal(a, snapshot!.Run);
        Assert.Equal(["t1", "t2"], snapshot.Tasks.Select(t => t.TaskId));
        Assert.Equal(["t1"], (await Store.GetRunAsync("other", "scheduled_a", Ct))!.Tasks.Select(t => t.TaskId));
        Assert.Empty((await Store.GetRunAsync("etl", "scheduled_c", Ct))!.Tasks);
    }

    [StoreFact]
    public async Task CreateRuns_TakenRunIdOrLogicalDate_IsSkipped_OthersCreated()
    {
        var existing = Run("etl", "scheduled_1", logicalDate: T0);
        await Store.CreateRunAsync(existing, [Instance(existing, "t1")], Ct);

        var sameId = Run("etl", "scheduled_1", logicalDate: T0.AddDays(5)) with { ConfJson = "{}" };
        var sameDate = Run("etl", "scheduled_2", logicalDate: T0);
        var fresh = Run("etl", "scheduled_3", logicalDate: T0.AddHours(1));
        var twinOfFresh = Run("etl", "scheduled_4", logicalDate: T0.AddHours(1));

        var created = await Store.CreateRunsAsync(
        [
            new NewRun(sameId, [Instance(sameId, "t1"), Instance(sameId, "extra")]),
            new NewRun(sameDate, [Instance(sameDate, "t1")]),
            new NewRun(fresh, [Instance(fresh, "t1")]),
            new NewRun(twinOfFresh, [Instance(twinOfFresh, "t1")]),
        ], null, Ct);

        Assert.Equal([fresh], created);
        var kept = await Store.GetRunAsync("etl", "scheduled_1", Ct);
        Assert.Equal(existing, kept!.Run);
        Assert.Equal(["t1"], kept.Tasks.Select(t => t.TaskId));
        Assert.Null(await Store.GetRunAsync("etl", "scheduled_2", Ct));
        Assert.Null(await Store.GetRunAsync("etl", "scheduled_4", Ct));
        Assert.Equal(2, (await Store.ListRunsAsync(new RunQuery("etl"), Ct)).TotalEntries);
    }

    [StoreFact]
    public async Task CreateRuns_AFailingRow_WritesNoneOfThem()
    {
        var good = Run("etl", "scheduled_1", logicalDate: T0);
        var bad = Run("etl", "scheduled_2", logicalDate: T0.AddHours(1));
        var orphan = Instance(Run("etl", "no_such_run"), "t1");

        await Assert.ThrowsAnyAsync<Exception>(() => Store.CreateRunsAsync(
            [new NewRun(good, [Instance(good, "t1")]), new NewRun(bad, [Instance(bad, "t1"), orphan])], null, Ct));

        Assert.Equal(0, (await Store.ListRunsAsync(new RunQuery(), Ct)).TotalEntries);
        Assert.Empty(await Store.CreateRunsAsync([], null, Ct));
    }

    [StoreFact]
    public async Task ListActiveRuns_QueuedAndRunning_OldestFirst()
    {
        await Store.CreateRunAsync(Run("etl", "queued_1", createdAt: T0.AddSeconds(2)), [], Ct);
        await Store.CreateRunAsync(Run("etl", "running_1", createdAt: T0.AddSeconds(1)) with { State = RunState.Running }, [], Ct);
        await Store.CreateRunAsync(Run("etl", "done_1", createdAt: T0) with { State = RunState.Success }, [], Ct);
        await Store.CreateRunAsync(Run("etl", "failed_1", createdAt: T0) with { State = RunState.Failed }, [], Ct);

        Assert.Equal(["running_1", "queued_1"], (await Store.ListActiveRunsAsync(Ct)).Select(r => r.RunId));
    }

    [StoreFact]
    public async Task ListPausedDags_OnlyThePausedIds()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await Store.UpsertDagAsync(new DagRecord(id, null, "id: " + id, "h", false, null, "[]", null, T0), Ct);
        }

        Assert.Empty(await Store.ListPausedDagsAsync(Ct));
        await Store.SetPausedAsync("b", true, Ct);
        Assert.Equal(["b"], await Store.ListPausedDagsAsync(Ct));
    }

    [StoreFact]
    public async Task Commit_ConcurrentBatches_AllLand_AndAFailingOneFailsAlone()
    {
        const int count = 40;
        var runs = new List<RunRecord>();
        for (var i = 0; i < count; i++)
        {
            runs.Add(await CreateRunWithTasksAsync($"run_{i:D2}", 2));
        }

        var commits = new List<Task>();
        Task? bad = null;
        for (var i = 0; i < count; i++)
        {
            var run = runs[i];
            commits.Add(Task.Run(() => Store.CommitAsync(SucceedAll(run), Ct)));
            if (i == count / 2)
            {
                bad = Task.Run(() => Store.CommitAsync(Orphan(), Ct));
            }
        }

        await Task.WhenAll(commits);
        await Assert.ThrowsAnyAsync<Exception>(() => bad!);
        foreach (var run in runs)
        {
            var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
            Assert.Equal(RunState.Success, snapshot!.Run.State);
            Assert.All(snapshot.Tasks, t => Assert.Equal(TaskState.Success, t.State));
            Assert.Equal(2, (await Store.GetAttemptsAsync(run.DagId, run.RunId, null, Ct)).Count);
        }
    }

    /// <summary>A batch that ends a run: its tasks succeed, each with an attempt.</summary>
    protected static StateBatch SucceedAll(RunRecord run)
    {
        var batch = new StateBatch();
        batch.Runs.Add(run with { State = RunState.Success, StartDate = T0, EndDate = T0.AddSeconds(1) });
        foreach (var taskId in new[] { "t00000", "t00001" })
        {
            batch.TaskInstances.Add(Instance(run, taskId, TaskState.Success) with { AttemptId = run.RunId + taskId });
            batch.AttemptsStarted.Add(new AttemptRecord(run.RunId + taskId, run.DagId, run.RunId, taskId, 1, TaskState.Success, "local", T0, T0, null, 0, null, null));
        }

        return batch;
    }

    /// <summary>A batch the store must refuse: a task instance of a run that does not exist.</summary>
    protected static StateBatch Orphan()
    {
        var batch = new StateBatch();
        batch.TaskInstances.Add(Instance(Run("etl", "no_such_run"), "t1", TaskState.Success));
        return batch;
    }
}
