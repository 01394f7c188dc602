using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Runners;
using Weft.Engine.Storage;
using Weft.Server.Dags;
using Weft.Server.Hosting;
using Weft.Server.Metrics;

namespace Weft.Server.Execution;

/// <summary>
/// The server's executor: every poll (or at once when nudged) it picks up <c>queued</c> runs and drives each with
/// a <see cref="RunExecutor"/> in this process, within the server's and each DAG's limit of active runs. Runs left
/// <c>running</c> by an earlier process are resumed at start. On shutdown running attempts get a grace period to
/// finish; then they are stopped and recorded as failed (interrupted), and the run resumes on the next start.
/// </summary>
internal sealed class LocalExecutorService(
    ServerEnvironment environment,
    IOptions<ServerOptions> options,
    DagCatalog catalog,
    ServerSecrets secrets,
    Heartbeats heartbeats,
    WeftMetrics metrics,
    ILogger<LocalExecutorService> logger) : BackgroundService, IRunControl
{
    private readonly ConcurrentDictionary<(string DagId, string RunId), Live> _live = new();
    private readonly SemaphoreSlim _nudge = new(0, 1);
    private readonly TaskRunnerRegistry _runners = TaskRunnerRegistry.CreateDefault();
    private readonly string _owner = $"server:{Environment.MachineName}:{Environment.ProcessId}";
    private IStateStore Store => environment.Store;

    /// <summary>Runs being executed now.</summary>
    public int ActiveRuns => _live.Count;

    /// <inheritdoc />
    public void Nudge()
    {
        if (_nudge.CurrentCount == 0)
        {
            try
            {
                _nudge.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already nudged.
            }
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(string dagId, string runId, CancellationToken cancellationToken)
    {
        if (_live.TryGetValue((dagId, runId), out var live))
        {
            await live.Stop.CancelAsync();
            await live.Task.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resume = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                heartbeats.Beat(Heartbeats.Executor);
                await PollAsync(resume, stoppingToken);
                resume = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Looking for queued runs failed");
            }

            try
            {
                await _nudge.WaitAsync(options.Value.ExecutorPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var running = _live.Values.Select(l => l.Task).ToArray();
        if (running.Length == 0)
        {
            return;
        }

        logger.LogInformation("Waiting up to {Grace} for {Count} active run(s) to finish", options.Value.ShutdownGracePeriod, running.Length);
        try
        {
            await Task.WhenAll(running).WaitAsync(options.Value.ShutdownGracePeriod, environment.Time, cancellationToken);
            return;
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Stopping {Count} run(s) still active after the grace period; they resume on the next start", _live.Count);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown timed out; stopping the active runs now");
        }

        foreach (var live in _live.Values)
        {
            await live.Stop.CancelAsync();
        }

        // Interrupting kills the attempts' processes and records them failed; give it a bounded wait.
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(15), environment.Time, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task PollAsync(bool resume, CancellationToken cancellationToken)
    {
        var candidates = new List<RunRecord>();
        if (resume)
        {
            candidates.AddRange(await OldestFirstAsync(RunState.Running, cancellationToken));
        }

        var queued = await OldestFirstAsync(RunState.Queued, cancellationToken);
        candidates.AddRange(queued);
        metrics.SetRunCounts(queued.Count, _live.Count);

        var pausedCache = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var run in candidates)
        {
            if (_live.Count >= options.Value.MaxActiveRuns)
            {
                break;
            }

            if (_live.ContainsKey((run.DagId, run.RunId)))
            {
                continue;
            }

            var registered = await catalog.GetAsync(run.DagId, cancellationToken);
            if (!pausedCache.TryGetValue(run.DagId, out var paused))
            {
                paused = pausedCache[run.DagId] = registered?.Record.IsPaused ?? false;
            }

            // A paused DAG's runs wait, as in Airflow; a run already going is finished.
            if (paused && run.State == RunState.Queued)
            {
                continue;
            }

            var dag = await catalog.ForRunAsync(run, cancellationToken);
            if (dag is null)
            {
                await FailUnloadableAsync(run, cancellationToken);
                continue;
            }

            if (_live.Keys.Count(k => k.DagId == run.DagId) >= dag.MaxActiveRuns)
            {
                continue;
            }

            await StartAsync(dag, run, cancellationToken);
        }

        metrics.SetRunCounts(queued.Count(r => !_live.ContainsKey((r.DagId, r.RunId))), _live.Count);
    }

    private async Task<List<RunRecord>> OldestFirstAsync(RunState state, CancellationToken cancellationToken)
    {
        var page = await Store.ListRunsAsync(new RunQuery(State: state, Limit: 1000), cancellationToken);
        var runs = page.Items.ToList();
        runs.Reverse();
        return runs;
    }

    private async Task StartAsync(DagDefinition dag, RunRecord run, CancellationToken cancellationToken)
    {
        var values = await secrets.ValuesAsync(cancellationToken);
        var pools = await Store.ListPoolsAsync(cancellationToken);
        var executorOptions = new ExecutorOptions
        {
            Home = environment.Home,
            TasksDir = Path.GetFullPath(options.Value.TasksDir ?? "tasks"),
            Owner = _owner,
            PoolSlots = pools.ToDictionary(p => p.Name, p => p.Slots, StringComparer.Ordinal),
            Secrets = name => values.TryGetValue(name, out var value) ? value : null,
        };
        var snapshot = await Store.GetRunAsync(run.DagId, run.RunId, cancellationToken);
        if (snapshot is null)
        {
            return;
        }

        var observer = new RunMetricsObserver(metrics, dag, snapshot);
        var executor = new RunExecutor(Store, executorOptions, _runners, observer, environment.Time, logger);
        var stop = new CancellationTokenSource();
        var key = (run.DagId, run.RunId);
        var started = new TaskCompletionSource();
        var task = Task.Run(async () =>
        {
            await started.Task;
            try
            {
                metrics.RunEntered(run.DagId, RunState.Running.ToName());
                var result = await executor.ExecuteAsync(dag, run.RunId, stop.Token);
                if (result.Run.State is RunState.Success or RunState.Failed)
                {
                    await RunHooks.InvokeAsync(dag, result, logger, CancellationToken.None);
                }
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Run {RunId} of DAG {DagId} failed in the executor", run.RunId, run.DagId);
            }
            finally
            {
                _live.TryRemove(key, out _);
                Nudge();
            }
        }, CancellationToken.None);
        _live[key] = new Live(task, stop);
        started.SetResult();
        logger.LogInformation("Executing run {RunId} of DAG {DagId}", run.RunId, run.DagId);
    }

    private async Task FailUnloadableAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var now = environment.Time.GetUtcNow();
        var batch = new StateBatch();
        batch.Runs.Add(run with { State = RunState.Failed, StartDate = run.StartDate ?? now, EndDate = now });
        batch.Events.Add(new EventRecord(0, now, "run_failed", run.DagId, run.RunId, null, "the DAG is not registered or does not load"));
        await Store.CommitAsync(batch, cancellationToken);
        metrics.RunEntered(run.DagId, RunState.Failed.ToName());
        logger.LogWarning("Run {RunId} failed: DAG {DagId} is not registered or does not load", run.RunId, run.DagId);
    }

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }

    private sealed record Live(Task Task, CancellationTokenSource Stop);
}
