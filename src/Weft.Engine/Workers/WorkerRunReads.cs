using System.Collections.Concurrent;
using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Engine.Workers;

/// <summary>
/// What a worker reads of the runs its attempts belong to: one read per run and claim epoch while it holds the
/// attempts' upstream tasks finished, shared by the attempts that arrive together; parsed DAGs kept by hash.
/// </summary>
internal sealed class WorkerRunReads(IStateStore store)
{
    private readonly IStateStore _store = store;
    private readonly ConcurrentDictionary<string, (string Hash, DagDefinition Dag)> _dags = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string DagId, string RunId), RunRead> _runs = new();
    private readonly ConcurrentDictionary<(string DagId, string RunId), SemaphoreSlim> _reading = new();

    private DagDefinition? Parse(DagRecord record)
    {
        if (_dags.TryGetValue(record.DagId, out var cached) && cached.Hash == record.Hash)
        {
            return cached.Dag;
        }

        var dag = OperatorActions.Parse(record).Dag;
        if (dag is not null)
        {
            _dags[record.DagId] = (record.Hash, dag);
        }

        return dag;
    }

    /// <summary>
    /// What the attempt needs of its run: the definition, parameters, and its upstream tasks' outputs. Read once for
    /// all attempts of the run's claim epoch while that read holds their upstream tasks finished; attempts that come
    /// together wait for one read rather than each making its own. Null when the run is gone.
    /// </summary>
    public async Task<RunRead?> ReadAsync(QueuedAttempt attempt, CancellationToken cancellationToken)
    {
        var key = (attempt.DagId, attempt.RunId);
        if (Usable(key, attempt) is { } hit)
        {
            return hit;
        }

        var gate = _reading.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Usable(key, attempt) is { } read)
            {
                return read;
            }

            var store = _store;
            var snapshot = await store.GetRunAsync(attempt.DagId, attempt.RunId, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                return null;
            }

            // Within one claim epoch the run's definition does not change: only its tasks' states are read again.
            var dag = _runs.TryGetValue(key, out var earlier) && earlier.Epoch == attempt.RunEpoch && earlier.Dag is not null
                ? earlier.Dag
                : await RunDefinitions.ResolveAsync(store, snapshot.Run, registered: null, Parse, cancellationToken).ConfigureAwait(false);
            var fresh = new RunRead(snapshot, dag, attempt.RunEpoch);
            if (_runs.Count > 256)
            {
                _runs.Clear();
                _reading.Clear();
            }

            _runs[key] = fresh;
            return fresh;
        }
        finally
        {
            gate.Release();
        }
    }

    private RunRead? Usable((string DagId, string RunId) key, QueuedAttempt attempt) =>
        _runs.TryGetValue(key, out var read) && read.Epoch == attempt.RunEpoch
            && (read.Dag is null || read.Task(attempt.TaskId) is not { } task || UpstreamsFinished(read, task))
            ? read
            : null;

    /// <summary>
    /// Whether what was read of the run holds the final outputs of every task <paramref name="task"/> may read: its
    /// upstream tasks (expressions may reference no other), all finished when it was read.
    /// </summary>
    private static bool UpstreamsFinished(RunRead read, TaskDefinition task) =>
        task.DependsOn.All(id => read.States.TryGetValue(id, out var state) && state.IsFinished());

    /// <summary>A run as a worker read it: reused for further attempts of the same claim epoch whose upstream tasks had finished.</summary>
    internal sealed class RunRead(RunSnapshot snapshot, DagDefinition? dag, long epoch)
    {
        private readonly Dictionary<string, TaskDefinition> _tasks = dag?.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal) ?? [];

        public RunSnapshot Snapshot { get; } = snapshot;
        public DagDefinition? Dag { get; } = dag;
        public long Epoch { get; } = epoch;
        public ImmutableDictionary<string, TaskState> States { get; } = snapshot.Tasks.ToImmutableDictionary(t => t.TaskId, t => t.State, StringComparer.Ordinal);
        public ImmutableDictionary<string, IReadOnlyDictionary<string, string>> Outputs { get; } =
            snapshot.Tasks.Where(t => t.Outputs.Count > 0).ToImmutableDictionary(t => t.TaskId, t => t.Outputs, StringComparer.Ordinal);

        public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Params { get; set; }

        public TaskDefinition? Task(string id) => _tasks.GetValueOrDefault(id);
    }
}
