using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

/// <summary>What dead letters, uploaded DAGs and circuit breakers need of a store, the same on every database.</summary>
public abstract partial class StateStoreContract
{
    [StoreFact]
    public async Task Run_DagHashAndVersion_RoundTrip()
    {
        var run = Run() with { };
        var labelled = new RunRecord(run.DagId, "labelled", run.State, run.RunType, null, null, null, null, null, "{}", null, T0)
        {
            DagHash = "abc123",
            DagVersion = "1.4",
        };
        await Store.CreateRunAsync(labelled, [], Ct);

        var read = (await Store.GetRunAsync("etl", "labelled", Ct))!.Run;
        Assert.Equal("abc123", read.DagHash);
        Assert.Equal("1.4", read.DagVersion);
        Assert.Contains((await Store.ListActiveRunsAsync(Ct)), r => r.RunId == "labelled" && r.DagVersion == "1.4");
    }

    [StoreFact]
    public async Task ListTaskInstances_OneStateAcrossRuns_NewestEndFirst_Paged()
    {
        foreach (var (runId, end) in new[] { ("r1", 1), ("r2", 3), ("r3", 2) })
        {
            var run = Run("etl", runId);
            await Store.CreateRunAsync(run,
            [
                Instance(run, "load", TaskState.Failed) with { EndDate = T0.AddMinutes(end) },
                Instance(run, "extract", TaskState.Success) with { EndDate = T0 },
            ], Ct);
        }

        var other = Run("other", "o1");
        await Store.CreateRunAsync(other, [Instance(other, "x", TaskState.Failed) with { EndDate = T0.AddMinutes(9) }], Ct);

        var all = await Store.ListTaskInstancesAsync(new TaskInstanceQuery(TaskState.Failed), Ct);
        Assert.Equal(4, all.TotalEntries);
        Assert.Equal(["o1", "r2", "r3", "r1"], all.Items.Select(t => t.RunId));

        var page = await Store.ListTaskInstancesAsync(new TaskInstanceQuery(TaskState.Failed, "etl", Limit: 2, Offset: 1), Ct);
        Assert.Equal(3, page.TotalEntries);
        Assert.Equal(["r3", "r1"], page.Items.Select(t => t.RunId));
    }

    [StoreFact]
    public async Task DeleteDag_RemovesItsRow_Once()
    {
        await Store.UpsertDagAsync(new DagRecord("uploaded", null, "id: uploaded", "h", false, null, "[]", null, T0), Ct);

        Assert.True(await Store.DeleteDagAsync("uploaded", Ct));
        Assert.False(await Store.DeleteDagAsync("uploaded", Ct));
        Assert.Null(await Store.GetDagAsync("uploaded", Ct));
    }

    [StoreFact]
    public async Task CircuitBreaker_OpensAtTheThreshold_OneProbeAfterTheCooldown_ClosesOnSuccess()
    {
        var circuits = Assert.IsAssignableFrom<ICircuitStore>(Store);
        Assert.Null(await circuits.GetCircuitAsync("api", Ct));

        Assert.Equal("closed", (await circuits.RecordCircuitResultAsync("api", success: false, threshold: 2, T0, Ct)).State);
        var open = await circuits.RecordCircuitResultAsync("api", success: false, threshold: 2, T0.AddSeconds(1), Ct);
        Assert.Equal(("open", 2, T0.AddSeconds(1)), (open.State, open.Failures, open.OpenedAt!.Value));

        Assert.False(await circuits.TryStartProbeAsync("api", T0.AddSeconds(5), TimeSpan.FromSeconds(30), Ct));
        Assert.True(await circuits.TryStartProbeAsync("api", T0.AddSeconds(31), TimeSpan.FromSeconds(30), Ct));
        Assert.False(await circuits.TryStartProbeAsync("api", T0.AddSeconds(31), TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("half_open", (await circuits.GetCircuitAsync("api", Ct))!.State);

        var closed = await circuits.RecordCircuitResultAsync("api", success: true, threshold: 2, T0.AddSeconds(32), Ct);
        Assert.Equal(("closed", 0), (closed.State, closed.Failures));
        Assert.Equal(["api"], (await circuits.ListCircuitsAsync(Ct)).Select(c => c.Name));
    }
}
