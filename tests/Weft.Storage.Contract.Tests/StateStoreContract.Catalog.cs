using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

public abstract partial class StateStoreContract
{
    private static DagRecord Dag(string id, bool paused = false, string hash = "h1") =>
        new(id, $"/dags/{id}.yaml", $"id: {id}\n", hash, paused, "0 2 * * *", "[\"finance\"]", null, T0);

    [StoreFact]
    public async Task UpsertDag_RoundTripsAndKeepsPausedFlag()
    {
        await Store.UpsertDagAsync(Dag("b"), Ct);
        await Store.UpsertDagAsync(Dag("a", paused: true), Ct);
        Assert.Equal(Dag("a", paused: true), await Store.GetDagAsync("a", Ct));
        Assert.Null(await Store.GetDagAsync("zzz", Ct));

        Assert.True(await Store.SetPausedAsync("b", true, Ct));
        Assert.False(await Store.SetPausedAsync("zzz", true, Ct));

        var reloaded = new DagRecord("b", null, "id: b\ntasks: []\n", "h2", IsPaused: false, null, "[]", "line 3: bad", T0.AddHours(1));
        await Store.UpsertDagAsync(reloaded, Ct);
        Assert.Equal(reloaded with { IsPaused = true }, await Store.GetDagAsync("b", Ct));

        Assert.True(await Store.SetPausedAsync("a", false, Ct));
        Assert.Equal(["a", "b"], (await Store.ListDagsAsync(Ct)).Select(d => d.DagId));
        Assert.False((await Store.GetDagAsync("a", Ct))!.IsPaused);
    }

    [StoreFact]
    public async Task Pools_DefaultPoolExists_SetCreatesAndResizes()
    {
        Assert.Equal([new PoolRecord("default_pool", 128, 0)], await Store.ListPoolsAsync(Ct));

        await Store.SetPoolAsync("db", 4, Ct);
        await Store.SetPoolAsync("default_pool", 10, Ct);
        await Store.SetPoolAsync("db", 5, Ct);

        Assert.Equal([new PoolRecord("db", 5, 0), new PoolRecord("default_pool", 10, 0)], await Store.ListPoolsAsync(Ct));
    }

    [StoreFact]
    public async Task Pools_OccupiedSlots_CountRunningAndQueuedInstances()
    {
        await Store.SetPoolAsync("db", 4, Ct);
        var run = Run();
        await Store.CreateRunAsync(run,
        [
            Instance(run, "q", TaskState.Queued, pool: "db", poolSlots: 2),
            Instance(run, "r", TaskState.Running, pool: "db", poolSlots: 1),
            Instance(run, "s", TaskState.Scheduled, pool: "db", poolSlots: 3),
            Instance(run, "done", TaskState.Success, pool: "db", poolSlots: 3),
            Instance(run, "d1", TaskState.Running),
            Instance(run, "d2", TaskState.UpForRetry),
        ], Ct);

        Assert.Equal([new PoolRecord("db", 4, 3), new PoolRecord("default_pool", 128, 1)], await Store.ListPoolsAsync(Ct));

        var batch = new StateBatch();
        batch.TaskInstances.Add(Instance(run, "q", TaskState.Success, pool: "db", poolSlots: 2));
        await Store.CommitAsync(batch, Ct);
        Assert.Equal(1, (await Store.ListPoolsAsync(Ct)).Single(p => p.Name == "db").OccupiedSlots);
    }

    [StoreFact]
    public async Task Events_AreListedNewestFirstInPages()
    {
        var batch = new StateBatch();
        for (var i = 0; i < 25; i++)
        {
            batch.Events.Add(new EventRecord(0, T0.AddSeconds(i), i % 5 == 0 ? "sla_miss" : "audit", "etl", null, null, $"event {i}"));
        }
        await Store.CommitAsync(batch, Ct);

        var first = await Store.ListEventsAsync(10, 0, Ct);
        Assert.Equal(25, first.TotalEntries);
        Assert.Equal(Enumerable.Range(15, 10).Reverse().Select(i => $"event {i}"), first.Items.Select(e => e.Message));
        Assert.Equal(T0.AddSeconds(24), first.Items[0].When);

        var last = await Store.ListEventsAsync(10, 20, Ct);
        Assert.Equal(25, last.TotalEntries);
        Assert.Equal(["event 4", "event 3", "event 2", "event 1", "event 0"], last.Items.Select(e => e.Message));

        var ids = first.Items.Concat(last.Items).Select(e => e.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(first.Items[0].Id > first.Items[1].Id);
        Assert.Empty((await Store.ListEventsAsync(10, 30, Ct)).Items);
    }
}
