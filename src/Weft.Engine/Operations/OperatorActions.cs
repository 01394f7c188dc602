using Microsoft.Extensions.Logging.Abstractions;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Scheduling;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>
/// The one application layer of operator actions: trigger, clear, mark a task or a run, pause, pools, register a
/// DAGs folder. The CLI's commands and the API's endpoints parse, call one of these and render the answer, so every
/// rule (parameter checks, what clearing resets, the run state after a mark) and every audit event lives here once.
/// A refused action throws <see cref="OperationException"/> with the same message from every front end.
/// </summary>
/// <remarks>
/// Every write that changes a run goes through <see cref="IStateStore.CommitAsync"/> with the run in
/// <see cref="StateBatch.RunsPreempted"/>: the store drops whatever claim an executor holds on it, so that executor's
/// next write is refused, it stops the attempts it was running (without counting them lost) and claims the run again
/// as the operator left it. Events name the actor when one is given (<c>by token 'ci'</c>).
/// </remarks>
internal sealed partial class OperatorActions(IStateStore store, TimeProvider time)
{
    /// <summary>The registered DAG's definition: its stored source parsed; the diagnostics when it does not load.</summary>
    public static LoadResult Parse(DagRecord record) =>
        DagLoader.LoadText(record.Source, record.FilePath ?? UploadName(record.DagId, record.Source));

    /// <summary>Creates a manual run of a registered DAG, as the scheduler will execute it.</summary>
    /// <exception cref="OperationException">No such DAG (not found); it does not load, or the run id or logical date is taken (conflict); bad params (invalid).</exception>
    public async Task<RunSnapshot> TriggerAsync(TriggerRequest request, string? actor, CancellationToken cancellationToken)
    {
        var record = await store.GetDagAsync(request.DagId, cancellationToken).ConfigureAwait(false)
            ?? throw OperationException.NotFound($"no DAG '{request.DagId}'", "list DAGs with 'weft dags list'");
        if (CodeDagSource.IsCode(record.Source))
        {
            throw OperationException.Conflict(
                $"DAG '{request.DagId}' is defined in C# by a host application; only that host can create its runs", "trigger it there with IWeftClient.TriggerAsync");
        }

        var load = Parse(record);
        var dag = load.Dag ?? throw OperationException.Conflict(
            $"DAG '{request.DagId}' does not load: {load.Diagnostics.FirstOrDefault()?.Message ?? record.LoadError}", "fix its file; 'weft validate' lists the problems");
        return await CreateRunAsync(dag, request, dagFile: null, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a manual run of <paramref name="dag"/> (queued, for a dispatcher to execute) after the DAG's parameter
    /// checks. Without a run id or logical date the run is stamped now, moving on by a millisecond when a run of the
    /// same instant exists.
    /// </summary>
    /// <param name="dagFile">The file a dispatcher executes the run from (<see cref="RunDefinitions"/>); null for the registered DAG.</param>
    public async Task<RunSnapshot> CreateRunAsync(DagDefinition dag, TriggerRequest request, string? dagFile, string? actor, CancellationToken cancellationToken)
    {
        var conf = RunFactory.EffectiveParams(dag, RunParams.Check(dag, request.Conf));
        var now = time.GetUtcNow();
        var chosen = request.RunId is not null || request.LogicalDate is not null;
        for (var attempt = 0; ; attempt++)
        {
            var at = (request.LogicalDate ?? now).AddMilliseconds(attempt);
            var run = RunFactory.NewRun(dag, request.RunId ?? RunIds.Manual(at), "manual", at, at, at, conf, dagFile, now);
            var tasks = RunFactory.NewTaskInstances(dag, run.RunId);
            try
            {
                await store.CreateRunAsync(run, tasks, cancellationToken).ConfigureAwait(false);
            }
            catch (DuplicateRunException ex) when (chosen || attempt >= 50)
            {
                throw OperationException.Conflict(ex.Message);
            }
            catch (DuplicateRunException)
            {
                continue;
            }

            await AuditAsync(OperatorEvents.Triggered, dag.Id, run.RunId, null, "run triggered", actor, cancellationToken).ConfigureAwait(false);
            return new RunSnapshot(run, tasks);
        }
    }

    /// <summary>Pauses or unpauses a registered DAG; the event is written only when the flag changes.</summary>
    /// <returns>The DAG as stored afterwards, and whether the flag changed.</returns>
    public async Task<(DagRecord Dag, bool Changed)> SetPausedAsync(string dagId, bool paused, string? actor, CancellationToken cancellationToken)
    {
        var before = await store.GetDagAsync(dagId, cancellationToken).ConfigureAwait(false);
        if (before is null || !await store.SetPausedAsync(dagId, paused, cancellationToken).ConfigureAwait(false))
        {
            throw OperationException.NotFound($"no DAG '{dagId}'", "list DAGs with 'weft dags list'");
        }

        var changed = before.IsPaused != paused;
        if (changed)
        {
            await AuditAsync(paused ? OperatorEvents.Paused : OperatorEvents.Unpaused, dagId, null, null, paused ? "paused" : "unpaused", actor, cancellationToken).ConfigureAwait(false);
        }

        return (before with { IsPaused = paused }, changed);
    }

    /// <summary>Every pool with the slots its running and queued task instances hold.</summary>
    public Task<IReadOnlyList<PoolRecord>> ListPoolsAsync(CancellationToken cancellationToken) => store.ListPoolsAsync(cancellationToken);

    /// <summary>Creates or resizes a pool (as <paramref name="mode"/> allows) and records it.</summary>
    /// <exception cref="OperationException">A bad name or size (invalid), a pool that exists for create (conflict) or is missing for resize (not found).</exception>
    public async Task<PoolRecord> SetPoolAsync(string name, int slots, PoolWrite mode, string? actor, CancellationToken cancellationToken)
    {
        if (!DagValidator.IsValidId(name))
        {
            throw OperationException.Invalid($"'{name}' is not a valid pool name; use 1 to 250 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }

        if (slots < 0)
        {
            throw OperationException.Invalid("the number of slots must be 0 or more");
        }

        var exists = (await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false)).Any(p => p.Name == name);
        if (mode == PoolWrite.Create && exists)
        {
            throw OperationException.Conflict($"pool '{name}' exists; resize it instead");
        }

        if (mode == PoolWrite.Resize && !exists)
        {
            throw OperationException.NotFound($"no pool '{name}'");
        }

        await store.SetPoolAsync(name, slots, cancellationToken).ConfigureAwait(false);
        await AuditAsync(OperatorEvents.PoolSet, null, null, null, $"pool '{name}' {(exists ? "resized to" : "created with")} {slots} slot{(slots == 1 ? "" : "s")}", actor, cancellationToken).ConfigureAwait(false);
        return (await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false)).First(p => p.Name == name);
    }

    /// <summary>
    /// Registers the DAGs folder with the one registrar (<see cref="DagRegistry"/>, as the scheduler does) and lists
    /// every DAG: those of the folder, by file, with the files that are not registered (broken, or repeating an id),
    /// then the DAGs only the database knows, by id. A missing folder lists the database's DAGs only.
    /// </summary>
    public async Task<IReadOnlyList<DagEntry>> ListDagsAsync(string? dagsFolder, CancellationToken cancellationToken)
    {
        var registry = await RegisterFolderAsync(dagsFolder, cancellationToken).ConfigureAwait(false);
        var stored = (await store.ListDagsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.DagId, StringComparer.Ordinal);
        var fromFolder = new List<DagEntry>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (registry is not null)
        {
            foreach (var reg in registry.Dags.Values)
            {
                var record = stored.GetValueOrDefault(reg.Id) ?? reg.Record;
                fromFolder.Add(new DagEntry(reg.Id, reg.Record.FilePath, reg.Definition, record, Lines(record.LoadError)));
                listed.Add(reg.Id);
            }

            var files = registry.Dags.Values.Select(r => r.Record.FilePath).ToHashSet(StringComparer.Ordinal);
            foreach (var (file, errors) in registry.Problems.Where(p => !files.Contains(p.Key)))
            {
                fromFolder.Add(new DagEntry(null, file, null, null, Lines(errors)));
            }
        }

        var entries = fromFolder.OrderBy(e => e.File, StringComparer.Ordinal).ToList();
        foreach (var record in stored.Values.Where(r => !listed.Contains(r.DagId)).OrderBy(r => r.DagId, StringComparer.Ordinal))
        {
            entries.Add(new DagEntry(record.DagId, record.FilePath, Parse(record).Dag, record, Lines(record.LoadError)));
        }

        return entries;
    }

    /// <summary>One DAG of <see cref="ListDagsAsync"/>.</summary>
    /// <exception cref="OperationException">Neither the folder nor the database has it (not found).</exception>
    public async Task<DagEntry> FindDagAsync(string? dagsFolder, string dagId, CancellationToken cancellationToken)
    {
        var entries = await ListDagsAsync(dagsFolder, cancellationToken).ConfigureAwait(false);
        if (entries.FirstOrDefault(e => e.DagId == dagId) is { } found)
        {
            return found;
        }

        var broken = entries.Count(e => e.DagId is null);
        throw OperationException.NotFound(
            $"no DAG '{dagId}' in '{dagsFolder}' or the database",
            broken > 0 ? $"{broken} DAG file(s) there have errors; run 'weft validate {dagsFolder}'" : "list DAGs with 'weft dags list'");
    }

    /// <summary>One pass of the registrar over the folder; null (nothing registered) when there is no folder.</summary>
    public async Task<DagRegistry?> RegisterFolderAsync(string? dagsFolder, CancellationToken cancellationToken)
    {
        if (dagsFolder is null || !Directory.Exists(dagsFolder))
        {
            return null;
        }

        var registry = new DagRegistry(store, dagsFolder, time, NullLogger.Instance);
        await registry.SyncAsync(force: true, cancellationToken).ConfigureAwait(false);
        return registry;
    }

    private static IReadOnlyList<string> Lines(string? errors) =>
        errors is null ? [] : errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private Task AuditAsync(string kind, string? dagId, string? runId, string? taskId, string message, string? actor, CancellationToken cancellationToken)
    {
        var batch = new StateBatch();
        batch.Events.Add(Event(kind, dagId, runId, taskId, message, actor));
        return store.CommitAsync(batch, cancellationToken);
    }

    private EventRecord Event(string kind, string? dagId, string? runId, string? taskId, string message, string? actor) =>
        new(0, time.GetUtcNow(), kind, dagId, runId, taskId, actor is null ? message : $"{message} (by {actor})");
}
