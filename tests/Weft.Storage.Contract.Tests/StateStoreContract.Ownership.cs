using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

public abstract partial class StateStoreContract
{
    private static OwnerRecord Owner(string id, DateTimeOffset leaseUntil) =>
        new(id, "test", "host-a", 4242, 17, T0, T0, leaseUntil);

    [StoreFact]
    public async Task ClaimRun_LiveOwnerHoldsIt_RefusedUntilItsLeaseEnds()
    {
        await Store.RegisterOwnerAsync(Owner("a", T0.AddSeconds(30)), Ct);
        await Store.RegisterOwnerAsync(Owner("b", T0.AddSeconds(30)), Ct);
        var run = Run();
        var claim = await Store.CreateClaimedRunAsync(run, [Instance(run, "t1")], "a", Ct);
        Assert.Equal(new RunClaim("etl", "run_1", "a", 1), claim);
        Assert.Equal("a", (await Store.GetRunAsync("etl", "run_1", Ct))!.Run.Owner);

        Assert.Null(await Store.ClaimRunAsync("etl", "run_1", "b", T0.AddSeconds(10), Ct));
        // Its own owner may take it again (after a preemption), with a new epoch.
        Assert.Equal(new RunClaim("etl", "run_1", "a", 2), (await Store.ClaimRunAsync("etl", "run_1", "a", T0.AddSeconds(10), Ct))!.Claim);

        var taken = await Store.ClaimRunAsync("etl", "run_1", "b", T0.AddSeconds(31), Ct);
        Assert.NotNull(taken);
        Assert.Equal(new RunClaim("etl", "run_1", "b", 3), taken.Claim);
        Assert.Equal(["t1"], taken.Snapshot.Tasks.Select(t => t.TaskId));
        Assert.Equal("b", taken.Snapshot.Run.Owner);
    }

    [StoreFact]
    public async Task ClaimRun_ExpiredOwner_ClaimableAtOnce_FinishedRunNever()
    {
        await Store.RegisterOwnerAsync(Owner("a", T0.AddSeconds(30)), Ct);
        var run = Run();
        await Store.CreateClaimedRunAsync(run, [Instance(run, "t1")], "a", Ct);
        await Store.ExpireOwnerAsync("a", Ct);
        Assert.NotNull(await Store.ClaimRunAsync("etl", "run_1", "b", T0, Ct));

        var done = Run(runId: "run_2", logicalDate: T0.AddDays(1)) with { State = RunState.Success };
        await Store.CreateRunAsync(done, [], Ct);
        Assert.Null(await Store.ClaimRunAsync("etl", "run_2", "b", T0, Ct));
        Assert.Null(await Store.ClaimRunAsync("etl", "missing", "b", T0, Ct));
    }

    [StoreFact]
    public async Task Commit_StaleClaim_IsRefusedWhole()
    {
        await Store.RegisterOwnerAsync(Owner("a", T0.AddSeconds(30)), Ct);
        var run = Run();
        var old = await Store.CreateClaimedRunAsync(run, [Instance(run, "t1")], "a", Ct);
        var taken = await Store.ClaimRunAsync("etl", "run_1", "b", T0.AddMinutes(5), Ct);
        Assert.NotNull(taken);

        var stale = new StateBatch { Claim = old };
        stale.TaskInstances.Add(Instance(run, "t1", TaskState.Success));
        stale.Events.Add(new EventRecord(0, T0, "late", "etl", "run_1", "t1", "should not be written"));
        var refused = await Assert.ThrowsAsync<ClaimLostException>(() => Store.CommitAsync(stale, Ct));
        Assert.Equal(old, refused.Claim);
        Assert.Equal(TaskState.None, (await Store.GetRunAsync("etl", "run_1", Ct))!.Tasks.Single().State);
        Assert.Equal(0, (await Store.ListEventsAsync(10, 0, Ct)).TotalEntries);

        var current = new StateBatch { Claim = taken.Claim, ReleaseClaim = true };
        current.TaskInstances.Add(Instance(run, "t1", TaskState.Success));
        await Store.CommitAsync(current, Ct);
        var after = (await Store.GetRunAsync("etl", "run_1", Ct))!;
        Assert.Equal(TaskState.Success, after.Tasks.Single().State);
        Assert.Null(after.Run.Owner);
    }

    [StoreFact]
    public async Task Commit_ManyAtOnce_EachWritten_AStaleOneRefusedAlone()
    {
        // Batches committed together may be written in one transaction: one stale claim among them fails only its own.
        await Store.RegisterOwnerAsync(Owner("a", T0.AddSeconds(30)), Ct);
        var claims = new List<RunClaim>();
        for (var i = 0; i < 40; i++)
        {
            var r = Run(runId: $"run_{i:D2}", logicalDate: T0.AddDays(i));
            claims.Add(await Store.CreateClaimedRunAsync(r, [Instance(r, "t1")], "a", Ct));
        }

        Assert.NotNull(await Store.ClaimRunAsync("etl", "run_07", "b", T0.AddMinutes(5), Ct));
        var commits = claims.Select(claim =>
        {
            var batch = new StateBatch { Claim = claim, ReleaseClaim = true };
            var r = Run(runId: claim.RunId, logicalDate: T0.AddDays(int.Parse(claim.RunId[4..], System.Globalization.CultureInfo.InvariantCulture)));
            batch.Runs.Add(r with { State = RunState.Success, EndDate = T0 });
            batch.TaskInstances.Add(Instance(r, "t1", TaskState.Success));
            batch.Events.Add(new EventRecord(0, T0, "done", "etl", claim.RunId, "t1", "written"));
            return Task.Run(() => Store.CommitAsync(batch, Ct));
        }).ToList();
        var outcomes = await Task.WhenAll(commits.Select(async c =>
        {
            try
            {
                await c;
                return null;
            }
            catch (ClaimLostException lost)
            {
                return lost.Claim.RunId;
            }
        }));

        Assert.Equal(["run_07"], outcomes.Where(o => o is not null));
        foreach (var claim in claims)
        {
            var snapshot = (await Store.GetRunAsync("etl", claim.RunId, Ct))!;
            var written = claim.RunId != "run_07";
            Assert.Equal(written ? TaskState.Success : TaskState.None, snapshot.Tasks.Single().State);
            Assert.Equal(written ? null : "b", snapshot.Run.Owner);
        }

        Assert.Equal(39, (await Store.ListEventsAsync(100, 0, Ct)).TotalEntries);
    }

    [StoreFact]
    public async Task Commit_ExpectedRun_WrittenOnlyWhileTheRunIsAsRead()
    {
        await Store.RegisterOwnerAsync(Owner("a", T0.AddSeconds(30)), Ct);
        var run = Run();
        var claim = await Store.CreateClaimedRunAsync(run, [Instance(run, "t1"), Instance(run, "t2")], "a", Ct);
        var read = (await Store.GetRunAsync("etl", "run_1", Ct))!.Run;

        // The executor writes after the operator read: the operator's change, computed from the older read, is refused whole.
        var executor = new StateBatch { Claim = claim };
        executor.TaskInstances.Add(Instance(run, "t1", TaskState.Success));
        await Store.CommitAsync(executor, Ct);
        var stale = new StateBatch { ExpectedRun = ("etl", "run_1", read.Version) };
        stale.TaskInstances.Add(Instance(run, "t1", TaskState.Failed));
        stale.Events.Add(new EventRecord(0, T0, "marked", "etl", "run_1", "t1", "should not be written"));
        stale.RunsPreempted.Add(("etl", "run_1"));
        var refused = await Assert.ThrowsAsync<RunChangedException>(() => Store.CommitAsync(stale, Ct));
        Assert.Equal(("etl", "run_1"), (refused.DagId, refused.RunId));
        var after = (await Store.GetRunAsync("etl", "run_1", Ct))!;
        Assert.Equal(TaskState.Success, after.Tasks.Single(t => t.TaskId == "t1").State);
        Assert.Equal(claim.Epoch, after.Run.ClaimEpoch);
        Assert.Equal(0, (await Store.ListEventsAsync(10, 0, Ct)).TotalEntries);
        Assert.True(after.Run.Version > read.Version);

        // Read again and written at once: accepted, and the version moves on.
        var fresh = new StateBatch { ExpectedRun = ("etl", "run_1", after.Run.Version) };
        fresh.TaskInstances.Add(Instance(run, "t2", TaskState.Failed));
        await Store.CommitAsync(fresh, Ct);
        var last = (await Store.GetRunAsync("etl", "run_1", Ct))!;
        Assert.Equal(TaskState.Failed, last.Tasks.Single(t => t.TaskId == "t2").State);
        Assert.True(last.Run.Version > after.Run.Version);
    }

    [StoreFact]
    public async Task Commit_Preempted_RevokesTheClaimAndFreesTheRun()
    {
        await Store.RegisterOwnerAsync(Owner("a", T0.AddSeconds(30)), Ct);
        var run = Run();
        var claim = await Store.CreateClaimedRunAsync(run, [Instance(run, "t1")], "a", Ct);

        var operatorAction = new StateBatch();
        operatorAction.RunsPreempted.Add(("etl", "run_1"));
        await Store.CommitAsync(operatorAction, Ct);

        var late = new StateBatch { Claim = claim };
        late.Runs.Add(run with { State = RunState.Running });
        await Assert.ThrowsAsync<ClaimLostException>(() => Store.CommitAsync(late, Ct));
        var again = await Store.ClaimRunAsync("etl", "run_1", "a", T0, Ct);
        Assert.Equal(3, again!.Claim.Epoch);
    }

    [StoreFact]
    public async Task ClaimRun_ManyConcurrentClaimers_ExactlyOneWins()
    {
        var run = Run();
        await Store.CreateRunAsync(run, [Instance(run, "t1")], Ct);
        var others = new List<IStateStore>();
        for (var i = 0; i < 3; i++)
        {
            others.Add(await OpenInitializedAsync());
        }

        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 5; j++)
            {
                await Store.RegisterOwnerAsync(Owner($"owner-{i}-{j}", T0.AddSeconds(30)), Ct);
            }
        }

        var claims = await Task.WhenAll(others.Append(Store).SelectMany((store, i) => Enumerable.Range(0, 5).Select(j =>
            Task.Run(() => store.ClaimRunAsync("etl", "run_1", $"owner-{i}-{j}", T0, Ct)))));
        Assert.Single(claims, c => c is not null);
        foreach (var other in others)
        {
            await other.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task Owners_RenewOnlyWhileTheLeaseHolds_RemoveReleasesRuns()
    {
        await Store.RegisterOwnerAsync(Owner("a", T0.AddSeconds(30)), Ct);
        Assert.True(await Store.RenewOwnerAsync("a", T0.AddSeconds(20), T0.AddSeconds(50), Ct));
        Assert.False(await Store.RenewOwnerAsync("a", T0.AddSeconds(51), T0.AddSeconds(81), Ct));
        Assert.False(await Store.RenewOwnerAsync("nobody", T0, T0.AddSeconds(30), Ct));
        var listed = Assert.Single(await Store.ListOwnersAsync(Ct));
        Assert.Equal(Owner("a", T0.AddSeconds(50)) with { HeartbeatAt = T0.AddSeconds(20) }, listed);

        var run = Run();
        await Store.CreateClaimedRunAsync(run, [Instance(run, "t1")], "a", Ct);
        await Store.RemoveOwnerAsync("a", Ct);
        Assert.Empty(await Store.ListOwnersAsync(Ct));
        Assert.Null((await Store.GetRunAsync("etl", "run_1", Ct))!.Run.Owner);
    }

    [StoreFact]
    public async Task Attempts_ProcessIdentityAndLostCount_RoundTrip()
    {
        var run = Run();
        await Store.CreateRunAsync(run, [Instance(run, "t1")], Ct);
        var batch = new StateBatch();
        batch.TaskInstances.Add(Instance(run, "t1", TaskState.Running) with { LostCount = 2, AttemptId = "att1", TryNumber = 1 });
        batch.AttemptsStarted.Add(new AttemptRecord("att1", "etl", "run_1", "t1", 1, TaskState.Running, "a", T0, null, null, null, null, null));
        batch.AttemptProcesses.Add(new AttemptProcess("att1", new ProcessIdentity("host-a", 1234, 99887766, 1234)));
        await Store.CommitAsync(batch, Ct);

        Assert.Equal(2, (await Store.GetRunAsync("etl", "run_1", Ct))!.Tasks.Single().LostCount);
        var attempt = Assert.Single(await Store.GetAttemptsAsync("etl", "run_1", "t1", Ct));
        Assert.Equal(new ProcessIdentity("host-a", 1234, 99887766, 1234), attempt.Process);
    }
}
