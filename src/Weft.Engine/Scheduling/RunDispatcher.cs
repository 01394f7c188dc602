using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Ownership;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// The one dispatcher of queued runs, used by every long-lived executing process (<c>weft scheduler</c>,
/// <c>weft server</c>, a host app). Each pass lists the active runs oldest first (the whole list: nothing behind a
/// window can starve), skips those a live owner holds, and claims the rest while this process has room, each DAG
/// stays within <c>max_active_runs</c> and paused DAGs' queued runs wait. A run whose owner died is claimed like a
/// queued one: its lost attempts are re-queued by the executor. Runs execute concurrently on one
/// <see cref="Executor"/>, so pools and priorities hold across them.
/// </summary>
internal sealed class RunDispatcher
{
    private readonly Executor _executor;
    private readonly Func<RunRecord, CancellationToken, Task<DagDefinition?>> _resolve;
    private readonly DispatcherOptions _options;
    private readonly ILogger _logger;
    private readonly AsyncSignal? _schedulerWake;
    private readonly AsyncSignal _nudge = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string DagId, string RunId), Task> _active = [];
    private readonly ConcurrentQueue<(DagDefinition Dag, RunSnapshot Run)> _finished = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile IReadOnlySet<string> _waitingDags = new HashSet<string>(StringComparer.Ordinal);

    /// <param name="resolve">The definition a run executes (<see cref="RunDefinitions"/>); null when it cannot be loaded.</param>
    /// <param name="schedulerWake">Woken when a run ends whose DAG has runs waiting for it.</param>
    public RunDispatcher(Executor executor, Func<RunRecord, CancellationToken, Task<DagDefinition?>> resolve, DispatcherOptions options, ILogger logger, AsyncSignal? schedulerWake = null)
    {
        _executor = executor;
        _resolve = resolve;
        _options = options;
        _logger = logger;
        _schedulerWake = schedulerWake;
    }

    /// <summary>The executor the runs share.</summary>
    public Executor Executor => _executor;

    /// <summary>When the last pass ended; null before the first.</summary>
    public DateTimeOffset? LastPass { get; private set; }

    /// <summary>Runs executing here now.</summary>
    public int ActiveRuns
    {
        get
        {
            lock (_gate)
            {
                return _active.Count;
            }
        }
    }

    /// <summary>Makes the next pass happen now (a run was triggered or created).</summary>
    public void Nudge() => _nudge.Set();

    /// <summary>The DAGs whose runs wait for one of theirs to end (<c>max_active_runs</c>); their run ends wake the scheduler.</summary>
    public void SetWaitingDags(IReadOnlySet<string> dagIds) => _waitingDags = dagIds;

    /// <summary>A run that ended since the last call, with the DAG it ran; for the final SLA check.</summary>
    public bool TryTakeFinished(out (DagDefinition Dag, RunSnapshot Run) finished) => _finished.TryDequeue(out finished);

    /// <summary>True while the run executes here.</summary>
    public bool IsActive(string dagId, string runId)
    {
        lock (_gate)
        {
            return _active.ContainsKey((dagId, runId));
        }
    }

    /// <summary>Passes until cancelled, every <see cref="DispatcherOptions.PollInterval"/> or when nudged.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (StoreHealth.IsTransient(ex))
            {
                _executor.Health.Failed(ex);
                _logger.LogWarning("Looking for runs to execute failed: {Message}", ex.Message);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Looking for runs to execute failed: {Message}", ex.Message);
            }

            try
            {
                await Task.WhenAny(_nudge.WaitAsync(), Task.Delay(_options.PollInterval, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass: claims and starts what this process may execute now.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        if (_executor.Lease.Fenced.IsCancellationRequested)
        {
            // No lease: claims made now would name an owner nobody sees alive. Wait until it is renewed.
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var live = (await _executor.ExpireDeadLocalOwnersAsync(cancellationToken).ConfigureAwait(false))
            .Select(o => o.OwnerId).ToHashSet(StringComparer.Ordinal);
        var active = await _executor.Store.ListActiveRunsAsync(cancellationToken).ConfigureAwait(false);
        _executor.NoticeClaims(active);
        var paused = (await _executor.Store.ListPausedDagsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var runningByDag = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var run in active)
        {
            if (run.State == RunState.Running && (run.Owner is not null && live.Contains(run.Owner) || IsActive(run.DagId, run.RunId)))
            {
                runningByDag[run.DagId] = runningByDag.GetValueOrDefault(run.DagId) + 1;
            }
        }

        foreach (var run in active)
        {
            if (ActiveRuns >= _options.MaxActiveRuns)
            {
                break;
            }

            if (IsActive(run.DagId, run.RunId) || run.Owner is not null && live.Contains(run.Owner))
            {
                continue;
            }

            var queued = run.State == RunState.Queued;
            if (queued && paused.Contains(run.DagId))
            {
                // A paused DAG's runs wait, as in Airflow; a run already going is finished.
                continue;
            }

            var dag = await _resolve(run, cancellationToken).ConfigureAwait(false);
            if (dag is null)
            {
                await FailUnloadableAsync(run, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (queued && runningByDag.GetValueOrDefault(run.DagId) >= dag.MaxActiveRuns)
            {
                continue;
            }

            var claimed = await _executor.Store.ClaimRunAsync(run.DagId, run.RunId, _executor.Lease.OwnerId, now, cancellationToken).ConfigureAwait(false);
            if (claimed is null)
            {
                continue;
            }

            if (queued)
            {
                runningByDag[run.DagId] = runningByDag.GetValueOrDefault(run.DagId) + 1;
            }
            else
            {
                _logger.LogInformation("DAG {DagId}: taking up run {RunId}, left {State} by {Owner}", run.DagId, run.RunId, run.State.ToName(), run.Owner ?? "no owner");
            }

            Start(dag, claimed);
        }

        _executor.Health.Succeeded();
        LastPass = DateTimeOffset.UtcNow;
    }

    /// <summary>Starts executing a run this process claimed (created claimed by the scheduler, or claimed by a pass).</summary>
    public void Start(DagDefinition dag, ClaimedRun claimed)
    {
        var key = (claimed.Claim.DagId, claimed.Claim.RunId);
        lock (_gate)
        {
            if (_active.ContainsKey(key) || _stop.IsCancellationRequested)
            {
                return;
            }

            // Recorded under the lock that the run's own clean-up takes, so it is never removed before it is added.
            _active[key] = Task.Run(() => ExecuteAsync(dag, claimed));
        }
    }

    /// <summary>
    /// Lets the runs executing here finish for up to <paramref name="grace"/>, then interrupts them (they stay
    /// resumable, their claims released) and waits for them to record it.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Task[] running;
        lock (_gate)
        {
            running = [.. _active.Values];
        }

        if (running.Length > 0 && grace > TimeSpan.Zero)
        {
            _logger.LogInformation("Waiting up to {Grace} for {Count} active run(s) to finish", grace, running.Length);
            await Task.WhenAny(Task.WhenAll(running), Task.Delay(grace)).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _stop.Cancel();
            running = [.. _active.Values];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(DagDefinition dag, ClaimedRun claimed)
    {
        var (dagId, runId) = (claimed.Claim.DagId, claimed.Claim.RunId);
        try
        {
            _logger.LogDebug("DAG {DagId}: run {RunId} started", dagId, runId);
            var observer = _options.Observers?.Invoke(dag, claimed.Snapshot);
            var result = await _executor.ExecuteAsync(dag, claimed, observer, _stop.Token).ConfigureAwait(false);
            if (result.Run.State is RunState.Success or RunState.Failed)
            {
                _logger.LogInformation("DAG {DagId}: run {RunId} finished: {State}", dagId, runId, result.Run.State.ToName());
            }
            else
            {
                _logger.LogInformation("DAG {DagId}: run {RunId} interrupted; it resumes when an executor takes it up again", dagId, runId);
            }

            _finished.Enqueue((dag, result));
        }
        catch (ClaimLostException)
        {
            _logger.LogInformation("DAG {DagId}: run {RunId} was taken over by another process", dagId, runId);
        }
        catch (OwnerFencedException ex)
        {
            _logger.LogWarning("DAG {DagId}: {Message}", dagId, ex.Message);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "DAG {DagId}: run {RunId} could not be executed: {Message}", dagId, runId, ex.Message);
        }
        finally
        {
            lock (_gate)
            {
                _active.Remove((dagId, runId));
            }

            if (_waitingDags.Contains(dagId))
            {
                _schedulerWake?.Set();
            }

            // Room for the next queued run.
            _nudge.Set();
        }
    }

    /// <summary>A run whose DAG is not registered (or does not load) cannot execute: it fails, with an event saying why.</summary>
    private async Task FailUnloadableAsync(RunRecord run, CancellationToken cancellationToken)
    {
        // A DAG built in C# runs only where its host registered it: another process leaves its runs to that one.
        if (Operations.CodeDagSource.IsCode((await _executor.Store.GetDagAsync(run.DagId, cancellationToken).ConfigureAwait(false))?.Source))
        {
            return;
        }

        var claimed = await _executor.Store.ClaimRunAsync(run.DagId, run.RunId, _executor.Lease.OwnerId, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var batch = new StateBatch { Claim = claimed.Claim, ReleaseClaim = true };
        batch.Runs.Add(claimed.Snapshot.Run with { State = RunState.Failed, StartDate = run.StartDate ?? now, EndDate = now });
        batch.Events.Add(new EventRecord(0, now, "run_failed", run.DagId, run.RunId, null, "the DAG is not registered or does not load"));
        await _executor.Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        _logger.LogWarning("Run {RunId} failed: DAG {DagId} is not registered or does not load", run.RunId, run.DagId);
    }
}
