using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// Executes runs in this process, each on its own <see cref="RunExecutor"/> loop, concurrently; the executor's
/// <see cref="SlotAllocator"/> is what the runs share. When a run ends its hook is invoked and the scheduler is
/// woken, so the next queued run of the DAG starts at once.
/// </summary>
internal sealed class RunDispatcher
{
    private readonly IStateStore _store;
    private readonly RunExecutor _executor;
    private readonly ILogger _logger;
    private readonly AsyncSignal _wake;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string DagId, string RunId), Task> _active = [];
    private readonly ConcurrentQueue<(DagDefinition Dag, RunSnapshot Run)> _finished = new();
    private readonly CancellationTokenSource _stop = new();

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

    /// <summary>Runs of the DAG executing here.</summary>
    public IReadOnlyList<string> ActiveRuns(string dagId)
    {
        lock (_gate)
        {
            return [.. _active.Keys.Where(k => k.DagId == dagId).Select(k => k.RunId)];
        }
    }

    /// <summary>A run that ended since the last call, with the DAG it ran; for the final SLA check.</summary>
    public bool TryTakeFinished(out (DagDefinition Dag, RunSnapshot Run) finished) => _finished.TryDequeue(out finished);

    /// <summary>Starts executing the run in the background, unless it already executes here.</summary>
    public void Start(DagDefinition dag, RunRecord run)
    {
        lock (_gate)
        {
            var key = (run.DagId, run.RunId);
            if (_active.ContainsKey(key) || _stop.IsCancellationRequested)
            {
                return;
            }

            // Recorded under the lock that the run's own clean-up takes, so it is never removed before it is added.
            _active[key] = Task.Run(() => ExecuteAsync(dag, run));
        }
    }

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

    private async Task ExecuteAsync(DagDefinition dag, RunRecord run)
    {
        try
        {
            var snapshot = await _store.GetRunAsync(dag.Id, run.RunId, _stop.Token).ConfigureAwait(false);
            if (snapshot is null)
            {
                return;
            }

            await ScheduledRuns.AddMissingTasksAsync(_store, dag, snapshot, _stop.Token).ConfigureAwait(false);
            _logger.LogInformation("DAG {DagId}: run {RunId} started", dag.Id, run.RunId);
            var result = await _executor.ExecuteAsync(dag, run.RunId, _stop.Token).ConfigureAwait(false);
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
            }

            _wake.Set();
        }
    }
}
