using System.Text;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

public abstract partial class StateStoreContract
{
    private async Task<(RunClaim Claim, RunRecord Run)> QueueAttemptsAsync(int count, string queue = "gpu", IStateStore? store = null)
    {
        store ??= Store;
        await store.RegisterOwnerAsync(new OwnerRecord("sched", "scheduler", "host-a", 1, 1, T0, T0, T0.AddMinutes(10)), Ct);
        var run = Run();
        var claim = await store.CreateClaimedRunAsync(run, Enumerable.Range(0, count).Select(i => Instance(run, $"t{i}", TaskState.Running, queue)).ToList(), "sched", Ct);
        var batch = new StateBatch { Claim = claim };
        for (var i = 0; i < count; i++)
        {
            batch.AttemptsStarted.Add(new AttemptRecord($"a{i:D3}", "etl", "run_1", $"t{i}", 1, TaskState.Running, "sched", T0, null, null, null, null, null));
            batch.AttemptsQueued.Add(new QueuedAttempt($"a{i:D3}", "etl", "run_1", $"t{i}", 1, queue, T0.AddMilliseconds(i)));
        }

        await store.CommitAsync(batch, Ct);
        return (claim, run);
    }

    private Task RegisterWorkerAsync(string id, DateTimeOffset leaseUntil, params string[] queues) =>
        Store.RegisterOwnerAsync(new OwnerRecord(id, "worker", "host-b", 7, 7, T0, T0, leaseUntil) { Queues = queues }, Ct);

    [StoreFact]
    public async Task Queue_ClaimedOldestFirst_OnlyByItsQueues_AndOnce()
    {
        await QueueAttemptsAsync(3);
        await RegisterWorkerAsync("w1", T0.AddMinutes(1), "gpu", "default");
        Assert.Equal(["gpu", "default"], (await Store.ListOwnersAsync(Ct)).Single(o => o.OwnerId == "w1").Queues);
        Assert.Equal(3, (await Store.CountQueuedAsync(Ct))["gpu"]);

        await RegisterWorkerAsync("w2", T0.AddMinutes(1), "gpu");
        await RegisterWorkerAsync("late", T0.AddSeconds(-1), "gpu");
        Assert.Empty(await Store.ClaimQueuedAsync("w2", ["default"], 10, T0, Ct));
        // A worker whose lease ran out, or that never registered, takes nothing.
        Assert.Empty(await Store.ClaimQueuedAsync("late", ["gpu"], 10, T0, Ct));
        Assert.Empty(await Store.ClaimQueuedAsync("nobody", ["gpu"], 10, T0, Ct));
        var first = await Store.ClaimQueuedAsync("w1", ["gpu"], 2, T0, Ct);
        Assert.Equal(["a000", "a001"], first.Select(a => a.AttemptId));
        Assert.Equal("t0", first[0].TaskId);
        var rest = await Store.ClaimQueuedAsync("w2", ["gpu"], 10, T0, Ct);
        Assert.Equal(["a002"], rest.Select(a => a.AttemptId));
        Assert.Empty(await Store.ClaimQueuedAsync("w1", ["gpu"], 10, T0, Ct));
        Assert.Empty(await Store.CountQueuedAsync(Ct));

        var mine = await Store.ListClaimedAsync("w1", Ct);
        Assert.Equal(["a000", "a001"], mine.Select(e => e.Attempt.AttemptId).Order());
        Assert.All(mine, e => Assert.Equal(T0.AddMinutes(1), e.WorkerLeaseExpiresAt));
        Assert.Equal(3, (await Store.ListClaimedAsync(null, Ct)).Count);
        Assert.True(await Store.MarkQueuedLostAsync("a002", "w2", Ct));
        Assert.Equal(3, (await Store.ListClaimedAsync(null, Ct)).Count);
        Assert.Empty(await Store.ListClaimedAsync("w2", Ct));
        await Store.RemoveQueuedAsync("a002", Ct);
        Assert.Equal(2, (await Store.ListClaimedAsync(null, Ct)).Count);
    }

    [StoreFact]
    public async Task Queue_ManyWorkersClaimingAtOnce_TakeEveryAttemptExactlyOnce()
    {
        await QueueAttemptsAsync(60);
        var stores = new List<IStateStore>();
        for (var i = 0; i < 4; i++)
        {
            await RegisterWorkerAsync($"w{i}", T0.AddMinutes(1), "gpu");
            stores.Add(await OpenInitializedAsync());
        }

        var taken = await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var got = await store.ClaimQueuedAsync($"w{i}", ["gpu"], 3, T0, Ct);
                if (got.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(got.Select(a => a.AttemptId));
            }
        })));

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
    }

    [StoreFact]
    public async Task Queue_Completion_IsFencedByTheWorkersClaimAndLease()
    {
        await QueueAttemptsAsync(3);
        await RegisterWorkerAsync("w1", T0.AddSeconds(30), "gpu");
        await RegisterWorkerAsync("w2", T0.AddSeconds(30), "gpu");
        await Store.ClaimQueuedAsync("w1", ["gpu"], 3, T0, Ct);

        Assert.False(await CompleteAsync("a000", "w2", "{}", T0));
        Assert.True(await CompleteAsync("a000", "w1", "{\"outcome\":\"success\"}", T0.AddSeconds(1)));
        // Its lease has passed: a late result is refused even before anyone took the attempt back.
        Assert.False(await CompleteAsync("a001", "w1", "{}", T0.AddSeconds(31)));
        Assert.True(await Store.MarkQueuedLostAsync("a002", "w1", Ct));
        Assert.False(await CompleteAsync("a002", "w1", "{}", T0.AddSeconds(2)));
        Assert.False(await Store.MarkQueuedLostAsync("a000", "w1", Ct));

        var entries = (await Store.GetQueuedAsync(["a000", "a001", "a002", "missing"], Ct)).ToDictionary(e => e.Attempt.AttemptId);
        Assert.Equal(3, entries.Count);
        Assert.Equal(QueueState.Done, entries["a000"].State);
        Assert.Equal("{\"outcome\":\"success\"}", entries["a000"].ResultJson);
        Assert.Equal(QueueState.Claimed, entries["a001"].State);
        Assert.Equal("w1", entries["a001"].Worker);
        Assert.Equal(QueueState.Lost, entries["a002"].State);
        Assert.Null(entries["a002"].ResultJson);
    }

    [StoreFact]
    public async Task Queue_OneReport_WritesProcessesThenResults_EachResultFencedOnItsOwn()
    {
        await QueueAttemptsAsync(4);
        await RegisterWorkerAsync("w1", T0.AddSeconds(30), "gpu");
        await RegisterWorkerAsync("w2", T0.AddSeconds(30), "gpu");
        await Store.ClaimQueuedAsync("w1", ["gpu"], 3, T0, Ct);
        await Store.ClaimQueuedAsync("w2", ["gpu"], 1, T0, Ct);
        Assert.True(await Store.MarkQueuedLostAsync("a002", "w1", Ct));
        var process = new ProcessIdentity("host-c", 77, 12, 77);

        var accepted = await Store.ReportQueuedAsync(
            "w1",
            [new QueuedProcess("a000", process), new QueuedProcess("a001", process)],
            [new QueuedResult("a000", "{\"outcome\":\"success\"}"), new QueuedResult("a002", "{}"), new QueuedResult("a003", "{}")],
            T0.AddSeconds(1),
            Ct);

        // a000: held, done; a001: held, its process recorded; a002: taken back; a003: another worker's.
        Assert.Equal(["a000"], accepted.Order());
        var entries = (await Store.GetQueuedAsync(["a000", "a001", "a002", "a003"], Ct)).ToDictionary(e => e.Attempt.AttemptId);
        Assert.Equal((QueueState.Done, process), (entries["a000"].State, entries["a000"].Process));
        Assert.Equal((QueueState.Claimed, process), (entries["a001"].State, entries["a001"].Process));
        Assert.Equal(QueueState.Lost, entries["a002"].State);
        Assert.Equal((QueueState.Claimed, "w2"), (entries["a003"].State, entries["a003"].Worker));
        Assert.Equal(process, (await Store.GetAttemptsAsync("etl", "run_1", "t1", Ct)).Single().Process);
    }

    [StoreFact]
    public async Task Queue_Cancel_WithdrawsUnclaimed_FlagsClaimed_AndTheRunsEndRemovesEntries()
    {
        var (claim, _) = await QueueAttemptsAsync(2);
        await RegisterWorkerAsync("w1", T0.AddMinutes(1), "gpu");
        await Store.ClaimQueuedAsync("w1", ["gpu"], 1, T0, Ct);
        var process = new ProcessIdentity("host-b", 4321, 99, 4321);
        // Recorded only for an attempt the worker holds.
        Assert.Empty(await Store.ReportQueuedAsync("w1", [new QueuedProcess("a000", process), new QueuedProcess("a001", process)], [], T0, Ct));
        Assert.Null((await Store.GetQueuedAsync(["a001"], Ct)).Single().Process);

        Assert.False(await Store.CancelQueuedAsync("a000", Ct));
        Assert.True(await Store.CancelQueuedAsync("a001", Ct));
        Assert.Empty(await Store.ClaimQueuedAsync("w1", ["gpu"], 5, T0, Ct));
        var entries = (await Store.GetQueuedAsync(["a000", "a001"], Ct)).ToDictionary(e => e.Attempt.AttemptId);
        Assert.True(entries["a000"].CancelRequested);
        Assert.Equal(process, entries["a000"].Process);
        Assert.Equal(QueueState.Withdrawn, entries["a001"].State);
        Assert.Equal(process, (await Store.GetAttemptsAsync("etl", "run_1", "t0", Ct)).Single().Process);

        var end = new StateBatch { Claim = claim };
        end.QueueEntriesDone.AddRange(["a000", "a001"]);
        await Store.CommitAsync(end, Ct);
        Assert.Empty(await Store.GetQueuedAsync(["a000", "a001"], Ct));
    }

    [StoreFact]
    public async Task Queue_StaleRunClaim_QueuesNothing()
    {
        var (claim, _) = await QueueAttemptsAsync(1);
        await Store.ClaimRunAsync("etl", "run_1", "other", T0.AddHours(1), Ct);
        var stale = new StateBatch { Claim = claim };
        stale.AttemptsQueued.Add(new QueuedAttempt("late", "etl", "run_1", "t0", 2, "gpu", T0));
        await Assert.ThrowsAsync<ClaimLostException>(() => Store.CommitAsync(stale, Ct));
        Assert.Empty(await Store.GetQueuedAsync(["late"], Ct));
    }

    [StoreFact]
    public async Task AttemptLog_PiecesReadBackFromAnyOffset_UpToTheFirstGap()
    {
        Assert.Null(await Store.ReadLogAsync("a1", 0, Ct));
        await Store.AppendLogAsync("a1", 0, Encoding.UTF8.GetBytes("line 1\nli"), Ct);
        await Store.AppendLogAsync("a1", 9, Encoding.UTF8.GetBytes("ne 2\n"), Ct);
        await Store.AppendLogAsync("a1", 9, Encoding.UTF8.GetBytes("ne 2\n"), Ct);
        await Store.AppendLogAsync("a1", 30, Encoding.UTF8.GetBytes("after a gap"), Ct);
        Assert.Equal("line 1\nline 2\n", Encoding.UTF8.GetString((await Store.ReadLogAsync("a1", 0, Ct))!));
        Assert.Equal("line 2\n", Encoding.UTF8.GetString((await Store.ReadLogAsync("a1", 7, Ct))!));
        Assert.Empty((await Store.ReadLogAsync("a1", 14, Ct))!);
    }

    [StoreFact]
    public async Task CreateRuns_200ConcurrentTriggersOfOneLogicalDate_FromFourClients_CreateOneRun()
    {
        var stores = new List<IStateStore> { Store };
        for (var i = 0; i < 3; i++)
        {
            stores.Add(await OpenInitializedAsync());
        }

        var date = T0.AddDays(3);
        var created = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var run = Run(runId: $"scheduled__{i:D3}", logicalDate: date);
            var made = await stores[i % stores.Count].CreateRunsAsync([new NewRun(run, [Instance(run, "t1")])], owner: null, Ct);
            return made.Count;
        })));

        Assert.Equal(1, created.Sum());
        var runs = (await Store.ListRunsAsync(new RunQuery("etl"), Ct)).Items;
        Assert.Equal(date, Assert.Single(runs).LogicalDate);
    }

    private async Task<bool> CompleteAsync(string attemptId, string worker, string resultJson, DateTimeOffset now) =>
        (await Store.ReportQueuedAsync(worker, [], [new QueuedResult(attemptId, resultJson)], now, Ct)).Contains(attemptId);
}
