using System.Diagnostics;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

public abstract partial class StateStoreContract
{
    [StoreFact]
    public async Task Commit_Batch_RoundTripsEveryField()
    {
        var run = await CreateRunWithTasksAsync("run_1", 3);
        var outputs = Outputs(
            "multi", "line one\nline two\r\nline three\n",
            "unicode", "naïve café — 日本語 🚀",
            "quotes", "\"quoted\" and 'single' and \\backslash\\ and {\"json\": [1]}",
            "empty", "");
        var changed = new TaskInstanceRecord(run.DagId, run.RunId, "t00001", TaskState.Success, 2, 3, 0, T0.AddSeconds(1),
            T0.AddSeconds(9), T0.AddMinutes(1), "attempt-2", "done", "gpu", "db_pool", 2, -5, outputs);
        var cleared = Instance(run, "t00002", TaskState.Scheduled);
        var runChanged = run with { State = RunState.Running, StartDate = T0.AddSeconds(1), EndDate = T0.AddHours(1), ConfJson = "{\"k\":\"v\"}" };

        var batch = new StateBatch();
        batch.Runs.Add(runChanged);
        batch.TaskInstances.Add(changed);
        batch.TaskInstances.Add(cleared);
        batch.Events.Add(new EventRecord(0, T0.AddSeconds(2), "state_change", run.DagId, run.RunId, "t00001", "t00001 → success"));
        batch.Events.Add(new EventRecord(0, T0.AddSeconds(3), "audit", null, null, null, "paused"));
        await Store.CommitAsync(batch, Ct);

        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        Assert.Equal(runChanged, snapshot!.Run);
        Assert.Equal(["t00000", "t00001", "t00002"], snapshot.Tasks.Select(t => t.TaskId));
        AssertSame(Instance(run, "t00000"), snapshot.Tasks[0]);
        AssertSame(changed, snapshot.Tasks[1]);
        AssertSame(cleared, snapshot.Tasks[2]);

        var events = await Store.ListEventsAsync(10, 0, Ct);
        Assert.Equal(2, events.TotalEntries);
        Assert.Equal(new EventRecord(events.Items[1].Id, T0.AddSeconds(2), "state_change", run.DagId, run.RunId, "t00001", "t00001 → success"), events.Items[1]);
        Assert.Equal(new EventRecord(events.Items[0].Id, T0.AddSeconds(3), "audit", null, null, null, "paused"), events.Items[0]);
    }

    [StoreFact]
    public async Task Commit_UnknownTaskInstance_IsInserted()
    {
        var run = await CreateRunWithTasksAsync("run_1", 1);
        var added = Instance(run, "dynamic", TaskState.Scheduled) with { Outputs = Outputs("k", "v") };

        var batch = new StateBatch();
        batch.TaskInstances.Add(added);
        await Store.CommitAsync(batch, Ct);

        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        Assert.Equal(["t00000", "dynamic"], snapshot!.Tasks.Select(t => t.TaskId));
        AssertSame(added, snapshot.Tasks[1]);
    }

    [StoreFact]
    public async Task Commit_EmptyBatch_DoesNothing()
    {
        await Store.CommitAsync(new StateBatch(), Ct);
        Assert.Equal(0, (await Store.ListRunsAsync(new RunQuery(), Ct)).TotalEntries);
    }

    [StoreFact]
    public async Task Commit_Attempts_AreKeptAsHistoryOldestFirst()
    {
        var run = await CreateRunWithTasksAsync("run_1", 2);
        var first = new AttemptRecord("a1", run.DagId, run.RunId, "t00000", 1, TaskState.Running, "local", T0, null, null, null, null, "/logs/1.log");
        var other = new AttemptRecord("b1", run.DagId, run.RunId, "t00001", 1, TaskState.Running, null, T0.AddSeconds(1), null, null, null, null, null);
        var started = new StateBatch();
        started.AttemptsStarted.Add(first);
        started.AttemptsStarted.Add(other);
        await Store.CommitAsync(started, Ct);

        var firstEnded = first with { State = TaskState.Failed, EndDate = T0.AddSeconds(5), ExitCode = 2, Reason = "exit code 2" };
        var second = new AttemptRecord("a2", run.DagId, run.RunId, "t00000", 2, TaskState.Running, "local", T0.AddSeconds(15), null, T0.AddMinutes(1), null, null, "/logs/2.log");
        var retried = new StateBatch();
        retried.AttemptsEnded.Add(firstEnded);
        retried.AttemptsStarted.Add(second);
        await Store.CommitAsync(retried, Ct);

        Assert.Equal([firstEnded, second], await Store.GetAttemptsAsync(run.DagId, run.RunId, "t00000", Ct));
        Assert.Equal([firstEnded, other, second], await Store.GetAttemptsAsync(run.DagId, run.RunId, null, Ct));
        Assert.Empty(await Store.GetAttemptsAsync(run.DagId, "other_run", null, Ct));
    }

    [StoreFact]
    public async Task SecondInstance_SeesCommittedData()
    {
        var other = await OpenInitializedAsync();
        var run = await CreateRunWithTasksAsync("run_1", 3);
        var batch = new StateBatch();
        batch.TaskInstances.Add(Instance(run, "t00001", TaskState.Success) with { Outputs = Outputs("rows", "42") });
        await Store.CommitAsync(batch, Ct);

        var seen = await other.GetRunAsync(null, "run_1", Ct);
        Assert.Equal(TaskState.Success, seen!.Tasks[1].State);
        Assert.Equal("42", seen.Tasks[1].Outputs["rows"]);

        // And the other way round: the second instance writes, the first reads.
        await other.CreateRunAsync(Run("etl", "run_2"), [], Ct);
        Assert.NotNull(await Store.GetRunAsync("etl", "run_2", Ct));
    }

    [StoreFact]
    public async Task LargeRun_TenThousandTasks_CommitsInBatchesAndReadsBack()
    {
        const int count = 10_000;
        const int batchSize = 2_500;
        var run = Run("big", "run_1");
        var tasks = Enumerable.Range(0, count).Select(i => Instance(run, $"task_{i:D5}")).ToList();
        long rows = 0;
        var writing = TimeSpan.Zero;

        async Task Timed(Func<Task> write, long rowCount)
        {
            var start = Stopwatch.GetTimestamp();
            await write();
            writing += Stopwatch.GetElapsedTime(start);
            rows += rowCount;
        }

        await Timed(() => Store.CreateRunAsync(run, tasks, Ct), count + 1);

        // Queue, start and finish every task, a quarter of the run per transaction, as a coordinator would.
        for (var offset = 0; offset < count; offset += batchSize)
        {
            var slice = tasks.Skip(offset).Take(batchSize).ToList();

            var queued = new StateBatch();
            queued.TaskInstances.AddRange(slice.Select(t => t with { State = TaskState.Queued }));
            await Timed(() => Store.CommitAsync(queued, Ct), queued.TaskInstances.Count);

            var started = new StateBatch();
            foreach (var t in slice)
            {
                var attemptId = $"{t.TaskId}-1";
                started.TaskInstances.Add(t with { State = TaskState.Running, AttemptId = attemptId, StartDate = T0.AddSeconds(1) });
                started.AttemptsStarted.Add(new AttemptRecord(attemptId, t.DagId, t.RunId, t.TaskId, 1, TaskState.Running, "local", T0.AddSeconds(1), null, null, null, null, null));
            }
            await Timed(() => Store.CommitAsync(started, Ct), started.TaskInstances.Count * 2);

            var ended = new StateBatch();
            foreach (var t in slice)
            {
                var attemptId = $"{t.TaskId}-1";
                ended.TaskInstances.Add(t with { State = TaskState.Success, AttemptId = attemptId, ExitCode = 0, StartDate = T0.AddSeconds(1), EndDate = T0.AddSeconds(2), Outputs = Outputs("id", t.TaskId) });
                ended.AttemptsEnded.Add(new AttemptRecord(attemptId, t.DagId, t.RunId, t.TaskId, 1, TaskState.Success, "local", T0.AddSeconds(1), T0.AddSeconds(2), null, 0, null, null));
                ended.Events.Add(new EventRecord(0, T0.AddSeconds(2), "state_change", t.DagId, t.RunId, t.TaskId, "success"));
            }
            await Timed(() => Store.CommitAsync(ended, Ct), ended.TaskInstances.Count * 3);
        }

        var done = new StateBatch();
        done.Runs.Add(run with { State = RunState.Success, EndDate = T0.AddSeconds(3) });
        await Timed(() => Store.CommitAsync(done, Ct), 1);

        var readStart = Stopwatch.GetTimestamp();
        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        var attempts = await Store.GetAttemptsAsync(run.DagId, run.RunId, null, Ct);
        var reading = Stopwatch.GetElapsedTime(readStart);

        Assert.Equal(RunState.Success, snapshot!.Run.State);
        Assert.Equal(count, snapshot.Tasks.Count);
        for (var i = 0; i < count; i++)
        {
            var t = snapshot.Tasks[i];
            Assert.Equal($"task_{i:D5}", t.TaskId);
            Assert.Equal(TaskState.Success, t.State);
            Assert.Equal(0, t.ExitCode);
            Assert.Equal(t.TaskId, t.Outputs["id"]);
        }
        Assert.Equal(count, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(TaskState.Success, a.State));
        Assert.Equal(count, (await Store.ListEventsAsync(1, 0, Ct)).TotalEntries);

        Output.WriteLine($"{GetType().Name}: {rows:N0} row writes in {writing.TotalMilliseconds:N0} ms = {rows / writing.TotalSeconds:N0} rows/s; " +
            $"read back {count:N0} task instances + {count:N0} attempts in {reading.TotalMilliseconds:N0} ms");
    }
}
