using Weft.Core.Runs;
using Weft.Engine.Storage;
using Xunit.Abstractions;

namespace Weft.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IStateStore"/> (and <see cref="IAccessStore"/>) must have, written against the ports
/// only, so every storage adapter runs the same suite: a subclass per adapter supplies <see cref="OpenStore"/>. The
/// suite is the partial files <c>StateStoreContract*.cs</c>; its tests are <see cref="StoreFactAttribute"/>s, which a
/// subclass marked <see cref="RequiresDatabaseAttribute"/> skips (or, under CI, fails) when its database is not given.
/// </summary>
public abstract partial class StateStoreContract : IAsyncLifetime
{
    private readonly List<IStateStore> _opened = [];

    protected StateStoreContract(ITestOutputHelper output) => Output = output;

    protected ITestOutputHelper Output { get; }

    /// <summary>The store every test starts with, initialized.</summary>
    protected IStateStore Store { get; private set; } = null!;

    protected static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary>
    /// A new, uninitialized store instance over this test's own database: empty at the first call, and the same
    /// database at every later call (as another process opening it would see it).
    /// </summary>
    protected abstract IStateStore OpenStore();

    public async Task InitializeAsync() => Store = await OpenInitializedAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        await DisposeDatabaseAsync();
    }

    /// <summary>Removes this test's database once every store is disposed.</summary>
    protected virtual Task DisposeDatabaseAsync() => Task.CompletedTask;

    /// <summary>Opens and initializes another store instance over the same database.</summary>
    protected async Task<IStateStore> OpenInitializedAsync()
    {
        var store = OpenStore();
        _opened.Add(store);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    protected static CancellationToken Ct => CancellationToken.None;

    protected static RunRecord Run(string dagId = "etl", string runId = "run_1", DateTimeOffset? logicalDate = null, DateTimeOffset? createdAt = null) =>
        new(dagId, runId, RunState.Queued, "manual", logicalDate, logicalDate, logicalDate?.AddDays(1),
            StartDate: null, EndDate: null, ConfJson: "{\"date\":\"2024-01-01\"}", DagFile: "/dags/etl.yaml", CreatedAt: createdAt ?? T0);

    protected static TaskInstanceRecord Instance(RunRecord run, string taskId, TaskState state = TaskState.None, string queue = "default",
        string pool = "default_pool", int poolSlots = 1, int priority = 0, int tryNumber = 1) =>
        new(run.DagId, run.RunId, taskId, state, tryNumber, MaxTries: 3, ExitCode: null, StartDate: null, EndDate: null, NextRetryAt: null,
            AttemptId: null, Reason: null, queue, pool, poolSlots, priority, new Dictionary<string, string>());

    protected async Task<RunRecord> CreateRunWithTasksAsync(string runId, int count, TaskState state = TaskState.None,
        string queue = "default", IStateStore? store = null, string dagId = "etl")
    {
        var run = Run(dagId, runId);
        var tasks = Enumerable.Range(0, count).Select(i => Instance(run, $"t{i:D5}", state, queue)).ToList();
        await (store ?? Store).CreateRunAsync(run, tasks, Ct);
        return run;
    }

    // ---- migrations -------------------------------------------------------------------------------------

    [StoreFact]
    public async Task Initialize_OpenedTwice_KeepsDataAndSchema()
    {
        await CreateRunWithTasksAsync("run_1", 2);
        await Store.InitializeAsync(Ct);

        var again = await OpenInitializedAsync();
        var third = await OpenInitializedAsync();

        var snapshot = await third.GetRunAsync("etl", "run_1", Ct);
        Assert.NotNull(snapshot);
        Assert.Equal(2, snapshot.Tasks.Count);
        var pools = await again.ListPoolsAsync(Ct);
        Assert.Single(pools, p => p.Name == "default_pool");
    }

    // ---- runs -------------------------------------------------------------------------------------------

    [StoreFact]
    public async Task CreateRun_GetRun_RoundTripsEveryField()
    {
        var run = new RunRecord("etl", "scheduled__2026-01-01", RunState.Running, "scheduled", T0, T0, T0.AddHours(1),
            T0.AddMinutes(1), T0.AddMinutes(2), "{\"a\":1}", "/dags/etl.yaml", T0.AddSeconds(3));
        var bare = new RunRecord("etl", "manual__x", RunState.Queued, "manual", null, null, null, null, null, "{}", null, T0);
        var full = new TaskInstanceRecord("etl", run.RunId, "extract", TaskState.UpForRetry, 2, 4, 1, T0.AddSeconds(1),
            T0.AddSeconds(2), T0.AddSeconds(30), "att", "boom", "gpu", "db", 3, 7, Outputs("rows", "42"));

        await Store.CreateRunAsync(run, [full, Instance(run, "load")], Ct);
        await Store.CreateRunAsync(bare, [], Ct);

        var snapshot = await Store.GetRunAsync("etl", run.RunId, Ct);
        Assert.NotNull(snapshot);
        Assert.Equal(run, snapshot.Run);
        Assert.Equal(["extract", "load"], snapshot.Tasks.Select(t => t.TaskId));
        AssertSame(full, snapshot.Tasks[0]);
        AssertSame(Instance(run, "load"), snapshot.Tasks[1]);
        Assert.Equal(TimeSpan.Zero, snapshot.Run.CreatedAt.Offset);

        var bareSnapshot = await Store.GetRunAsync("etl", "manual__x", Ct);
        Assert.Equal(bare, bareSnapshot!.Run);
        Assert.Empty(bareSnapshot.Tasks);
    }

    [StoreFact]
    public async Task GetRun_Unknown_ReturnsNull()
    {
        Assert.Null(await Store.GetRunAsync("etl", "nope", Ct));
        Assert.Null(await Store.GetRunAsync(null, "nope", Ct));
    }

    [StoreFact]
    public async Task GetRun_WithoutDagId_ReturnsNewestRunWithThatId()
    {
        await Store.CreateRunAsync(Run("a", "same", createdAt: T0), [], Ct);
        await Store.CreateRunAsync(Run("b", "same", createdAt: T0.AddMinutes(5)), [], Ct);
        await Store.CreateRunAsync(Run("c", "same", createdAt: T0.AddMinutes(1)), [], Ct);

        Assert.Equal("b", (await Store.GetRunAsync(null, "same", Ct))!.Run.DagId);
        Assert.Equal("c", (await Store.GetRunAsync("c", "same", Ct))!.Run.DagId);
    }

    [StoreFact]
    public async Task ListRuns_NewestFirst_FiltersAndPages()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.CreateRunAsync(Run("a", $"a{i}", createdAt: T0.AddMinutes(i)), [], Ct);
            await Store.CreateRunAsync(Run("b", $"b{i}", createdAt: T0.AddMinutes(i).AddSeconds(1)) with { State = i % 2 == 0 ? RunState.Success : RunState.Failed }, [], Ct);
        }

        var all = await Store.ListRunsAsync(new RunQuery(), Ct);
        Assert.Equal(10, all.TotalEntries);
        Assert.Equal(["b4", "a4", "b3", "a3", "b2", "a2", "b1", "a1", "b0", "a0"], all.Items.Select(r => r.RunId));

        var page = await Store.ListRunsAsync(new RunQuery(DagId: "a", Limit: 2, Offset: 1), Ct);
        Assert.Equal(5, page.TotalEntries);
        Assert.Equal(["a3", "a2"], page.Items.Select(r => r.RunId));

        var failed = await Store.ListRunsAsync(new RunQuery(DagId: "b", State: RunState.Failed), Ct);
        Assert.Equal(2, failed.TotalEntries);
        Assert.Equal(["b3", "b1"], failed.Items.Select(r => r.RunId));

        var success = await Store.ListRunsAsync(new RunQuery(State: RunState.Success), Ct);
        Assert.Equal(3, success.TotalEntries);
    }

    [StoreFact]
    public async Task CreateRun_SameRunId_ThrowsDuplicateRunAndWritesNothing()
    {
        var run = await CreateRunWithTasksAsync("run_1", 1);

        var again = Run("etl", "run_1");
        var ex = await Assert.ThrowsAsync<DuplicateRunException>(() => Store.CreateRunAsync(again, [Instance(again, "t00000"), Instance(again, "extra")], Ct));
        Assert.Contains("run_1", ex.Message);

        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, Ct);
        Assert.Single(snapshot!.Tasks);
    }

    [StoreFact]
    public async Task CreateRun_SameLogicalDate_ThrowsDuplicateRun()
    {
        await Store.CreateRunAsync(Run("etl", "scheduled_1", logicalDate: T0), [], Ct);
        await Store.CreateRunAsync(Run("other", "scheduled_1", logicalDate: T0), [], Ct);
        await Store.CreateRunAsync(Run("etl", "manual_1"), [], Ct);
        await Store.CreateRunAsync(Run("etl", "manual_2"), [], Ct);

        var ex = await Assert.ThrowsAsync<DuplicateRunException>(() => Store.CreateRunAsync(Run("etl", "scheduled_2", logicalDate: T0), [], Ct));
        Assert.Contains("logical date", ex.Message);
        Assert.Null(await Store.GetRunAsync("etl", "scheduled_2", Ct));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    protected static Dictionary<string, string> Outputs(params string[] pairs)
    {
        var outputs = new Dictionary<string, string>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            outputs[pairs[i]] = pairs[i + 1];
        }
        return outputs;
    }

    /// <summary>Records hold a dictionary, which compares by reference; compare it by content.</summary>
    protected static void AssertSame(TaskInstanceRecord expected, TaskInstanceRecord actual)
    {
        Assert.Equal(expected with { Outputs = actual.Outputs }, actual);
        Assert.Equal(expected.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
