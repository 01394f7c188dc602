using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Diagnostics;
using Weft.Engine.Execution;
using Weft.Engine.Operations;
using Weft.Engine.Ownership;
using Weft.Engine.Scheduling;

namespace Weft.Hosting;

/// <summary>
/// Weft inside a host: registers the host's C# DAGs and the DAGs folder, then runs the engine's
/// <see cref="SchedulerLoop"/> (with <see cref="WeftBuilder.AddScheduler"/>) and the engine's <see cref="Executor"/>
/// behind its <see cref="RunDispatcher"/> (with <see cref="WeftBuilder.AddWorker"/>), as <c>weft scheduler</c> and
/// <c>weft server</c> do; with named queues also a <see cref="WeftQueueWorker"/> for them, as <c>weft worker</c> runs.
/// Started by the hosted service, or by the client when the host was never started.
/// </summary>
internal sealed class WeftRuntime(IOptions<WeftOptions> options, WeftStore stores, WeftDags dags, TimeProvider time, ILogger<WeftRuntime> logger) : IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private bool _started;
    private Task _running = Task.CompletedTask;
    private Executor? _executor;
    private SchedulerLoop? _loop;
    private RunDispatcher? _dispatcher;
    private WeftQueueWorker? _queueWorker;

    /// <summary>Starts once; later calls return at once.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_started)
            {
                await StartCoreAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _started, true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Wakes the dispatcher to take up a run just triggered.</summary>
    public void Nudge() => (_loop?.Dispatcher ?? _dispatcher)?.Nudge();

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var home = Path.GetFullPath(settings.Home);
        // Without a DAGs folder the registrar looks at one that is never there: only code and uploaded DAGs.
        var folder = settings.DagsFolder is { } f ? Path.GetFullPath(f) : Path.Combine(home, "no-dags-folder");
        var registry = new DagRegistry(store, folder, time, logger);
        foreach (var dag in dags.All)
        {
            await registry.RegisterCodeAsync(dag, cancellationToken).ConfigureAwait(false);
        }

        if (settings.DagsFolder is not null)
        {
            // Registered before the start returns, so a trigger right after it finds the folder's DAGs.
            await registry.SyncAsync(force: false, cancellationToken).ConfigureAwait(false);
        }

        if (settings.Worker)
        {
            var queues = settings.Queues.Distinct(StringComparer.Ordinal).ToList();
            var tasksDir = Path.GetFullPath(settings.TasksDir);
            _executor = await Executor.StartAsync(
                store,
                new ExecutorSettings
                {
                    Kind = "host",
                    Home = home,
                    TasksDir = tasksDir,
                    Parallelism = settings.Parallelism > 0 ? settings.Parallelism : int.MaxValue,
                    // Named queues: the runs' tasks of a queue go to its workers (this host's among them), as under
                    // weft scheduler; none: every task of the runs executes here, whatever its queue.
                    Placement = queues.Count > 0 ? TaskPlacement.NamedQueues : TaskPlacement.Local,
                    LocalDags = id => dags.Find(id) is not null,
                },
                time,
                logger,
                cancellationToken).ConfigureAwait(false);
            if (queues.Count > 0)
            {
                _queueWorker = await WeftQueueWorker.StartAsync(store, queues, settings.WorkerConcurrency, home, tasksDir, time, logger, cancellationToken).ConfigureAwait(false);
            }
        }

        var dispatcher = new DispatcherOptions
        {
            MaxActiveRuns = settings.MaxActiveRuns,
            PollInterval = settings.PollInterval,
            Observers = (_, snapshot) => new TelemetryRunObserver(snapshot),
        };
        var grace = settings.ShutdownGracePeriod;
        if (settings.Scheduler)
        {
            _loop = new SchedulerLoop(store, new SchedulerOptions { DagsFolder = folder, WatchFolder = settings.DagsFolder is not null }, time, logger, _executor, dispatcher, registry);
            _running = Task.Run(() => _loop.RunAsync(_stop.Token, grace), CancellationToken.None);
            logger.LogInformation("Weft scheduler started ({Mode})", _executor is null ? "creating runs" : "creating and executing runs");
        }
        else if (_executor is not null)
        {
            _dispatcher = new RunDispatcher(_executor, registry.ResolveAsync, dispatcher, logger);
            _running = Task.Run(() => DispatchAsync(_dispatcher, grace), CancellationToken.None);
            logger.LogInformation("Weft worker started");
        }
    }

    private async Task DispatchAsync(RunDispatcher dispatcher, TimeSpan grace)
    {
        try
        {
            await dispatcher.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await dispatcher.StopAsync(grace).ConfigureAwait(false);
        }
    }

    /// <summary>Stops scheduling and lets running runs finish for the grace period; the rest resume at the next start.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            // The queue worker goes on while the runs finish (their tasks of its queues may be running on it).
            if (Interlocked.Exchange(ref _queueWorker, null) is { } queueWorker)
            {
                await queueWorker.DisposeAsync().ConfigureAwait(false);
            }

            if (Interlocked.Exchange(ref _executor, null) is { } executor)
            {
                await executor.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    // A service provider disposed synchronously (using var provider = services.BuildServiceProvider()) refuses a
    // singleton that is only IAsyncDisposable; the runs must still be stopped, so wait for that here.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
