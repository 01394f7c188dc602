using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Operations;
using Weft.Engine.Storage;
using Weft.Engine.Tests.RunExecution;
using static Weft.Engine.Tests.Operations.RunFixtures;

namespace Weft.Engine.Tests.Operations;

/// <summary>The operator actions on a real SQLite database, with a real executor where a run is executed again.</summary>
public sealed class OperatorActionsTests : IAsyncLifetime
{
    private ExecutorFixture _fx = null!;

    private OperatorActions Actions => new(_fx.Store, TimeProvider.System);

    public async Task InitializeAsync() => _fx = await ExecutorFixture.CreateAsync();

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task Trigger_UnknownParamOrWrongType_IsRefused_AndATextNumberIsTakenAsANumber()
    {
        await RegisterAsync("p.yaml", "id: p\nparams: { n: 5, who: me }\ntasks:\n  - id: a\n    command: echo ${{ params.who }}\n");

        var unknown = await Assert.ThrowsAsync<OperationException>(() => TriggerAsync("p", ("nope", "1")));
        var mistyped = await Assert.ThrowsAsync<OperationException>(() => TriggerAsync("p", ("n", "\"abc\"")));
        var run = await TriggerAsync("p", ("n", "\"6\""), ("who", "\"you\""));

        Assert.Equal(OperationError.Invalid, unknown.Error);
        Assert.Equal("unknown param 'nope' for DAG 'p'; known params: n, who", unknown.Message);
        Assert.Equal(OperationError.Invalid, mistyped.Error);
        Assert.Equal("param 'n' of DAG 'p' must be a number (like its default 5), not string \"abc\"", mistyped.Message);
        using var conf = JsonDocument.Parse(run.Run.ConfJson);
        Assert.Equal(6, conf.RootElement.GetProperty("n").GetInt32());
        Assert.Equal("you", conf.RootElement.GetProperty("who").GetString());
        Assert.Equal(RunState.Queued, (await _fx.Store.GetRunAsync("p", run.Run.RunId, default))!.Run.State);
        Assert.Contains((await _fx.Store.ListEventsAsync(10, 0, default)).Items, e => e.Kind == OperatorEvents.Triggered && e.RunId == run.Run.RunId);
    }

    [Fact]
    public async Task Trigger_UnknownDag_IsNotFound_ATakenLogicalDateIsAConflict()
    {
        await RegisterAsync("d.yaml", "id: d\ntasks:\n  - id: a\n");
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Actions.TriggerAsync(new TriggerRequest("d", LogicalDate: at), null, default);

        var missing = await Assert.ThrowsAsync<OperationException>(() => Actions.TriggerAsync(new TriggerRequest("nope"), null, default));
        var taken = await Assert.ThrowsAsync<OperationException>(() => Actions.TriggerAsync(new TriggerRequest("d", LogicalDate: at), null, default));

        Assert.Equal(OperationError.NotFound, missing.Error);
        Assert.Equal(OperationError.Conflict, taken.Error);
    }

    [Fact]
    public async Task MarkTask_InAFinishedRunWhereNothingCanRun_KeepsItFinished_WithItsStateFromItsLeaves()
    {
        await StoreAsync(Run(EtlFromFile(), RunState.Failed,
            ("extract", TaskState.Success), ("transform", TaskState.Failed), ("load", TaskState.UpstreamFailed), ("report", TaskState.Success)));

        var first = await Actions.MarkTaskAsync("etl", "manual__1", "transform", TaskState.Success, "tester", default);
        var second = await Actions.MarkTaskAsync("etl", "manual__1", "load", TaskState.Success, "tester", default);

        // The leaf 'load' is still upstream_failed after the first mark: the run stays failed, never queued.
        Assert.Equal(RunState.Failed, first.Run.Run.State);
        Assert.NotNull(first.Run.Run.EndDate);
        Assert.Equal(TaskState.UpstreamFailed, first.Run.Task("load").State);
        Assert.Equal(RunState.Success, second.Run.Run.State);
        Assert.Equal("upstream_failed", second.Previous);
        var events = (await _fx.Store.ListEventsAsync(10, 0, default)).Items.Where(e => e.Kind == OperatorEvents.TaskMarked).ToList();
        Assert.Equal(2, events.Count);
        Assert.EndsWith("(by tester)", events[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkTask_InARunAnExecutorHolds_PreemptsItsClaim_AndTheRunFinishesWhenClaimedAgain()
    {
        var dag = EtlFromFile();
        await StoreAsync(Run(dag, RunState.Running,
            ("extract", TaskState.Success), ("transform", TaskState.Running), ("report", TaskState.Success)));
        await using var executor = await StartExecutorAsync();
        var held = await executor.ClaimAsync("etl", "manual__1", default);
        Assert.NotNull(held);

        var marked = await Actions.MarkTaskAsync("etl", "manual__1", "transform", TaskState.Success, null, default);

        // 'load' can still run: the run stays running and keeps its owner (no other process takes it), but the
        // executor's claim is gone: its next write is refused and it claims the run again.
        Assert.Equal(RunState.Running, marked.Run.Run.State);
        Assert.Equal(held!.Claim.Owner, marked.Run.Run.Owner);
        var stale = new StateBatch { Claim = held!.Claim };
        stale.Events.Add(new EventRecord(0, DateTimeOffset.UtcNow, "test", null, null, null, "late write"));
        await Assert.ThrowsAsync<ClaimLostException>(() => _fx.Store.CommitAsync(stale, default));

        var again = await executor.ClaimAsync("etl", "manual__1", default);
        var result = await executor.ExecuteAsync(dag, again!, null, default);
        Assert.Equal(RunState.Success, result.Run.State);
        Assert.Equal(TaskState.Success, result.Task("load").State);
    }

    [Fact]
    public async Task ClearFailed_WithDownstream_QueuesTheRun_AndExecutingItRunsOnlyThoseTasks()
    {
        var marker = Path.Combine(_fx.Root, "marker");
        var dag = _fx.Load($"""
            id: gated
            tasks:
              - id: first
                command: echo x >> {Path.Combine(_fx.Root, "first.txt")}
              - id: gate
                command: test -f {marker}
                depends_on: [first]
              - id: after
                depends_on: [gate]
            """);
        var runId = (await Actions.CreateRunAsync(dag, new TriggerRequest(dag.Id), Path.Combine(_fx.Root, "dag.yaml"), null, default)).Run.RunId;
        Assert.Equal(RunState.Failed, (await _fx.Executor().ExecuteAsync(dag, runId, default)).Run.State);
        File.WriteAllText(marker, "");

        var dry = await Actions.ClearAsync(new ClearRequest("gated", runId, ["gate"], Downstream: true, DryRun: true), null, default);
        var cleared = await Actions.ClearAsync(new ClearRequest("gated", runId, [], OnlyFailed: true), null, default);

        Assert.Equal(["gate", "after"], dry.Cleared);
        Assert.Equal(RunState.Failed, dry.Run.Run.State);
        Assert.Equal(["gate", "after"], cleared.Cleared);
        Assert.Equal(RunState.Queued, cleared.Run.Run.State);
        Assert.Equal(TaskState.None, cleared.Run.Task("gate").State);
        Assert.Equal(1, cleared.Run.Task("gate").TryNumber);
        Assert.Equal(2, cleared.Run.Task("gate").MaxTries);
        var result = await _fx.Executor().ExecuteAsync(dag, runId, default);
        Assert.Equal(RunState.Success, result.Run.State);
        Assert.Equal(2, result.Task("gate").TryNumber);
        Assert.Single(File.ReadAllLines(Path.Combine(_fx.Root, "first.txt")));
    }

    [Fact]
    public async Task Clear_UnknownTaskOrRun_IsNotFound()
    {
        await StoreAsync(Run(EtlFromFile(), RunState.Failed, ("extract", TaskState.Failed)));

        var task = await Assert.ThrowsAsync<OperationException>(() => Actions.ClearAsync(new ClearRequest("etl", "manual__1", ["ghost"]), null, default));
        var run = await Assert.ThrowsAsync<OperationException>(() => Actions.ClearAsync(new ClearRequest(null, "nope", []), null, default));

        Assert.Equal(OperationError.NotFound, task.Error);
        Assert.StartsWith("run 'manual__1' of DAG 'etl' has no task 'ghost'", task.Message, StringComparison.Ordinal);
        Assert.Equal(OperationError.NotFound, run.Error);
    }

    [Fact]
    public async Task MarkRun_Failed_FailsWhatRanAndSkipsTheRest_QueuedWithNothingToRunIsRecomputedFromItsLeaves()
    {
        await StoreAsync(Run(EtlFromFile(), RunState.Running, ("extract", TaskState.Success), ("transform", TaskState.Running), ("report", TaskState.Success)));

        var failed = await Actions.MarkRunAsync("etl", "manual__1", RunState.Failed, null, default);
        var requeued = await Actions.MarkRunAsync("etl", "manual__1", RunState.Queued, null, default);

        Assert.Equal(RunState.Failed, failed.Run.Run.State);
        Assert.Equal(TaskState.Failed, failed.Run.Task("transform").State);
        Assert.Equal(TaskState.Skipped, failed.Run.Task("load").State);
        // Every task is finished: queuing it would leave a run with nothing to do, so it stays finished with the state
        // its leaves give (load skipped, report success), as Airflow's rule decides it.
        Assert.Equal(RunState.Success, requeued.Run.Run.State);
        Assert.NotNull(requeued.Run.Run.EndDate);
        await Assert.ThrowsAsync<OperationException>(() => Actions.MarkRunAsync("etl", "manual__1", RunState.Running, null, default));
    }

    [Fact]
    public async Task Pause_And_Pools_WriteAnEventPerChange_AndRefuseWhatIsNotThere()
    {
        await RegisterAsync("d.yaml", "id: d\ntasks:\n  - id: a\n");

        var paused = await Actions.SetPausedAsync("d", true, null, default);
        var again = await Actions.SetPausedAsync("d", true, null, default);
        var pool = await Actions.SetPoolAsync("gpu", 2, PoolWrite.Create, null, default);
        var exists = await Assert.ThrowsAsync<OperationException>(() => Actions.SetPoolAsync("gpu", 3, PoolWrite.Create, null, default));
        var missing = await Assert.ThrowsAsync<OperationException>(() => Actions.SetPoolAsync("cpu", 3, PoolWrite.Resize, null, default));
        var bad = await Assert.ThrowsAsync<OperationException>(() => Actions.SetPoolAsync("gpu", -1, PoolWrite.Upsert, null, default));
        var unknownDag = await Assert.ThrowsAsync<OperationException>(() => Actions.SetPausedAsync("nope", true, null, default));

        Assert.True(paused.Changed);
        Assert.False(again.Changed);
        Assert.True((await _fx.Store.GetDagAsync("d", default))!.IsPaused);
        Assert.Equal(2, pool.Slots);
        Assert.Equal([OperationError.Conflict, OperationError.NotFound, OperationError.Invalid, OperationError.NotFound],
            [exists.Error, missing.Error, bad.Error, unknownDag.Error]);
        var kinds = (await _fx.Store.ListEventsAsync(10, 0, default)).Items.Select(e => e.Kind).ToList();
        Assert.Single(kinds, k => k == OperatorEvents.Paused);
        Assert.Single(kinds, k => k == OperatorEvents.PoolSet);
    }

    [Fact]
    public async Task ListDags_RegistersTheFolder_ReportingBrokenFilesDuplicateIdsAndLoadErrors()
    {
        var folder = Path.Combine(_fx.Root, "dags");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.yaml"), "id: a\ntasks:\n  - id: t\n");
        File.WriteAllText(Path.Combine(folder, "b.yaml"), "id: a\ntasks:\n  - id: u\n");
        File.WriteAllText(Path.Combine(folder, "c.yaml"), "id: c\ntasks:\n  - id: t\n    retires: 2\n");

        var first = await Actions.ListDagsAsync(folder, default);
        File.WriteAllText(Path.Combine(folder, "a.yaml"), "id: a\ntasks: [\n");
        var second = await Actions.ListDagsAsync(folder, default);

        Assert.Equal([("a", "a.yaml"), (null, "b.yaml"), (null, "c.yaml")], first.Select(e => (e.DagId, Path.GetFileName(e.File))));
        Assert.Contains("already defined", first[1].Errors[0], StringComparison.Ordinal);
        Assert.Contains(first[2].Errors, e => e.Contains("retires", StringComparison.Ordinal));
        // A broken file keeps its DAG's last good version, with the load error recorded on it.
        var a = second.Single(e => e.DagId == "a");
        Assert.Equal("t", Assert.Single(a.Definition!.Tasks).Id);
        Assert.NotNull((await _fx.Store.GetDagAsync("a", default))!.LoadError);
        Assert.NotEmpty(a.Errors);
    }

    private async Task RegisterAsync(string file, string text)
    {
        var folder = Path.Combine(_fx.Root, "dags");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, file), text);
        await Actions.RegisterFolderAsync(folder, default);
    }

    private Task<RunSnapshot> TriggerAsync(string dagId, params (string Key, string Json)[] conf) =>
        Actions.TriggerAsync(
            new TriggerRequest(dagId, conf.ToDictionary(c => c.Key, c => JsonDocument.Parse(c.Json).RootElement.Clone())), null, default);

    // The run remembers its file, as a run of 'weft run FILE' does: that is the definition operator actions use.
    private Task StoreAsync(RunSnapshot run) =>
        _fx.Store.CreateRunAsync(run.Run with { DagFile = Path.Combine(_fx.Root, "etl.yaml") }, run.Tasks, default);

    /// <summary><see cref="RunFixtures.Etl"/> as a DAG file.</summary>
    private DagDefinition EtlFromFile() => _fx.Load("""
        id: etl
        tasks:
          - id: extract
            command: "true"
          - id: transform
            command: "true"
            depends_on: [extract]
            retries: 2
          - id: load
            command: "true"
            depends_on: [transform]
          - id: report
            depends_on: [extract]
        """, "etl.yaml");

    private Task<Executor> StartExecutorAsync() =>
        Executor.StartAsync(
            _fx.Store,
            new ExecutorSettings { Kind = "test", Home = _fx.Home, TasksDir = Path.Combine(_fx.Root, "tasks") },
            TimeProvider.System,
            NullLogger.Instance,
            default);

    [Fact]
    public async Task ClearingOneRunningTask_RestartsOnlyThatTask_TheOthersRunOnUntouched()
    {
        var marks = Path.Combine(_fx.Root, "marks");
        var dag = _fx.Load($"""
            id: busy
            tasks:
              - id: cleared
                command: echo cleared >> '{marks}'; sleep 2
              - id: untouched
                command: echo untouched >> '{marks}'; sleep 2
              - id: after
                depends_on: [cleared, untouched]
                command: echo after >> '{marks}'
            """);
        var runId = (await Actions.CreateRunAsync(dag, new TriggerRequest(dag.Id), Path.Combine(_fx.Root, "dag.yaml"), null, default)).Run.RunId;
        var execution = _fx.Executor().ExecuteAsync(dag, runId, default);
        while (!File.Exists(marks) || File.ReadAllLines(marks).Length < 2)
        {
            await Task.Delay(50);
        }

        await Actions.ClearAsync(new ClearRequest("busy", runId, ["cleared"]), null, default);
        var result = await execution;

        Assert.Equal(RunState.Success, result.Run.State);
        var lines = File.ReadAllLines(marks);
        Assert.Equal(2, lines.Count(l => l == "cleared"));
        Assert.Equal(1, lines.Count(l => l == "untouched"));
        Assert.Equal(1, lines.Count(l => l == "after"));
        var attempts = await _fx.Store.GetAttemptsAsync("busy", runId, "cleared", default);
        Assert.Contains(attempts, a => a.Reason == "stopped: the task was changed while it ran");
    }
}
