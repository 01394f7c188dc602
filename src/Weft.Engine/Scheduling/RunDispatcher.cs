using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// Executes runs in this process, each on its own <see cref="RunExecutor"/> loop, concurrently; the executor's
/// <see cref="SlotAllocator"/> is what the runs share. When a run ends its hook is invoked, and the scheduler is
/// woken when the run's DAG has runs waiting for it, so the next queued run of the DAG starts at once.
/// </summary>
internal sealed class RunDispatcher
{
    private readonly IStateStore _store;
    private readonly RunExecutor _executor;
    private readonly ILogger _logger;
    private readonly AsyncSignal _wake;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string DagId, string RunId), Task> _active = [];
    // Runs that ended since the scheduler's pass began: the pass's list of queued runs may still show them.
    private readonly HashSet<(string DagId, string RunId)> _endedThisPass = [];
    private readonly ConcurrentQueue<(DagDefinition Dag, RunSnapshot Run)> _finished = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile IReadOnlySet<string> _waitingDags = new HashSet<string>(StringComparer.Ordinal);

    public RunDispatcher(IStateStore store, RunExecutor executor, ILogger logger, AsyncSignal wake)
    {
        _store = store;
        _executor = executor;
        _logger = logger;
        _wake = wake;
    }

    /// <summary>True while the run executes here.</summary>
    public bool IsActive(string dagId, string runId)
    {
        lock (_gate)
        {
            return _active.ContainsKey((dagId, runId));
        }
    }

    /// <summary>The runs executing here, by DAG.</summary>
    public Dictionary<string, List<string>> ActiveRunsByDag()
    {
        var byDag = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (dagId, runId) in _active.Keys)
            {
                if (!byDag.TryGetValue(dagId, out var runs))
                {
                    byDag[dagId] = runs = [];
                }

                runs.Add(runId);
            }
        }

        return byDag;
    }

    /// <summary>
    /// Called at the start of a scheduler pass, before it lists queued runs: from now on, a run that ends is
    /// remembered so that the pass's (older) list does not start it again.
    /// </summary>
    public void BeginPass()
    {
        lock (_gate)
        {
            _endedThisPass.Clear();
        }
    }

    /// <summary>The DAGs whose runs wait for one of theirs to end (<c>max_active_runs</c>); their run ends wake the scheduler.</summary>
    public void SetWaitingDags(IReadOnlySet<string> dagIds) => _waitingDags = dagIds;

    /// <summary>A run that ended since the last call, with the DAG it ran; for the final SLA check.</summary>
    public bool TryTakeFinished(out (DagDefinition Dag, RunSnapshot Run) finished) => _finished.TryDequeue(out finished);

    /// <summary>Starts executing a stored run in the background (read back first), unless it already executes here.</summary>
    public void Start(DagDefinition dag, RunRecord run) => Start(dag, run, snapshot: null);

    /// <summary>
    /// Starts executing a run just created from <paramref name="dag"/>, with the rows that were written: nothing
    /// is read back and no task instance can be missing.
    /// </summary>
    public void StartNew(DagDefinition dag, RunSnapshot snapshot) => Start(dag, snapshot.Run, snapshot);

    /// <summary>Interrupts every run (they stay resumable) and waits for them to record it.</summary>
    public async Task StopAsync()
    {
        Task[] running;
        lock (_gate)
        {
            _stop.Cancel();
            running = [.. _active.Values];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private void Start(DagDefinition dag, RunRecord run, RunSnapshot? snapshot)
    {
        lock (_gate)
        {
            var key = (run.DagId, run.RunId);
            if (_active.ContainsKey(key) || _endedThisPass.Contains(key) || _stop.IsCancellationRequested)
            {
                return;
            }

            // Recorded under the lock that the run's own clean-up takes, so it is never removed before it is added.
            _active[key] = Task.Run(() => ExecuteAsync(dag, run, snapshot));
        }
    }

    private async Task ExecuteAsync(DagDefinition dag, RunRecord run, RunSnapshot? snapshot)
    {
        try
        {
            RunSnapshot result;
            if (snapshot is null)
            {
                var stored = await _store.GetRunAsync(dag.Id, run.RunId, _stop.Token).ConfigureAwait(false);
                if (stored is null)
                {
                    return;
                }

                await ScheduledRuns.AddMissingTasksAsync(_store, dag, stored, _stop.Token).ConfigureAwait(false);
                _logger.LogDebug("DAG {DagId}: run {RunId} started", dag.Id, run.RunId);
                // Read again by the executor: it must see the task instances just added.
                result = await _executor.ExecuteAsync(dag, run.RunId, _stop.Token).ConfigureAwait(false);
            }
            else
            {
                _logger.LogDebug("DAG {DagId}: run {RunId} started", dag.Id, run.RunId);
                result = await _executor.ExecuteAsync(dag, snapshot, _stop.Token).ConfigureAwait(false);
            }

            if (result.Run.State is RunState.Success or RunState.Failed)
            {
                _logger.LogInformation("DAG {DagId}: run {RunId} finished: {State}", dag.Id, run.RunId, result.Run.State.ToName());
                await RunHooks.InvokeAsync(dag, result, _logger, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                _logger.LogInformation("DAG {DagId}: run {RunId} interrupted; it resumes when the scheduler starts again", dag.Id, run.RunId);
            }

            _finished.Enqueue((dag, result));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "DAG {DagId}: run {RunId} could not be executed: {Message}", dag.Id, run.RunId, ex.Message);
        }
        finally
        {
            lock (_gate)
            {
                _active.Remove((run.DagId, run.RunId));
                _endedThisPass.Add((run.DagId, run.RunId));
            }

            if (_waitingDags.Contains(run.DagId))
            {
                _wake.Set();
            }
        }
    }
}
