using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Engine.Execution;
using Weft.Engine.Operations;
using Weft.Engine.Ownership;
using Weft.Engine.Scheduling;
using Weft.Server.Hosting;
using Weft.Server.Metrics;

namespace Weft.Server.Execution;

/// <summary>
/// The server's scheduler and executor: the engine's <see cref="SchedulerLoop"/> creates runs as they fall due and,
/// unless <see cref="ServerOptions.ExecutorEnabled"/> is off, its dispatcher claims and executes queued runs with the
/// engine's <see cref="Executor"/>, as <c>weft scheduler</c> does. On shutdown running runs get
/// <see cref="ServerOptions.ShutdownGracePeriod"/> to finish; the rest are interrupted and resume on the next start.
/// </summary>
internal sealed class ExecutionService(
    ServerEnvironment environment,
    IOptions<ServerOptions> options,
    WeftMetrics metrics,
    DagRegistry registry,
    Events.EventHub events,
    ILogger<ExecutionService> logger) : BackgroundService, IRunControl
{
    private SchedulerLoop? _loop;

    /// <summary>The scheduler loop, once started.</summary>
    public SchedulerLoop? Loop => _loop;

    /// <summary>The executor, once started; null when this server does not execute.</summary>
    public Executor? Executor { get; private set; }

    /// <inheritdoc />
    public void Nudge() => _loop?.Dispatcher?.Nudge();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.ExecutorEnabled)
        {
            Executor = await StartExecutorAsync(settings, stoppingToken);
            if (Executor is null)
            {
                return;
            }
        }

        try
        {
            _loop = new SchedulerLoop(
                environment.Store,
                new SchedulerOptions { DagsFolder = environment.DagsFolder, RescanInterval = settings.DagRescanInterval },
                environment.Time,
                logger,
                Executor,
                new DispatcherOptions
                {
                    MaxActiveRuns = settings.MaxActiveRuns,
                    PollInterval = settings.ExecutorPollInterval,
                    Observers = (dag, snapshot) => new Events.RunObservers(
                        new RunMetricsObserver(metrics, dag, snapshot), new Events.EventHubObserver(events, snapshot.Run)),
                },
                registry);
            await _loop.RunAsync(stoppingToken, settings.ShutdownGracePeriod);
        }
        finally
        {
            if (Executor is not null)
            {
                await Executor.DisposeAsync();
            }
        }
    }

    /// <summary>Registers this server as an owner; a database that does not answer yet is tried again, with backoff.</summary>
    private async Task<Executor?> StartExecutorAsync(ServerOptions settings, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                return await Executor.StartAsync(
                    environment.Store,
                    new ExecutorSettings
                    {
                        Kind = "server",
                        Home = environment.Home,
                        TasksDir = Path.GetFullPath(settings.TasksDir ?? "tasks"),
                        Placement = settings.LocalTasks ? TaskPlacement.NamedQueues : TaskPlacement.Workers,
                    },
                    environment.Time,
                    logger,
                    stoppingToken);
            }
            catch (Exception ex) when (StoreHealth.IsTransient(ex))
            {
                logger.LogWarning("Starting the executor failed, trying again in {Delay} ms: {Message}", (int)delay.TotalMilliseconds, ex.Message);
            }

            try
            {
                await Task.Delay(delay, environment.Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }

        return null;
    }
}
