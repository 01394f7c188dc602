using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Server.Events;

/// <summary>
/// Reads the database once a second while someone listens to the event stream, and tells the <see cref="EventHub"/>
/// what changed: runs created or finished and task states written by other processes (a worker, <c>weft run</c>,
/// <c>weft tasks clear</c>) or by operator actions. The runs looked at are the active ones and the latest few.
/// </summary>
internal sealed class StoreChangePoller(IStateStore store, EventHub hub, TimeProvider time, ILogger<StoreChangePoller> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How many of the latest runs are watched besides the active ones (a clear makes a finished run active again).</summary>
    private const int Recent = 50;

    /// <summary>Active runs whose task instances are read each pass; more would make a pass slower than its interval.</summary>
    private const int MaxActive = 100;

    private readonly SemaphoreSlim _pass = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                if (hub.HasSubscribers)
                {
                    await PassAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be away for a while; the stream goes on with the executor's own events.
                logger.LogDebug(ex, "Reading state changes for the event stream failed");
            }
        }
    }

    /// <summary>
    /// Reads the database once now if no pass since the first subscriber came has: a new subscriber is told only of
    /// what changes after it subscribed.
    /// </summary>
    public async Task EnsurePrimedAsync(CancellationToken cancellationToken)
    {
        if (!hub.Primed)
        {
            await PassAsync(cancellationToken);
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            await ReadChangesAsync(cancellationToken);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task ReadChangesAsync(CancellationToken cancellationToken)
    {
        var quiet = !hub.Primed;
        var keep = new HashSet<(string, string)>();
        var active = await store.ListActiveRunsAsync(cancellationToken);
        var recent = await store.ListRunsAsync(new RunQuery(Limit: Recent), cancellationToken);
        foreach (var run in recent.Items.Where(r => r.State is RunState.Success or RunState.Failed))
        {
            keep.Add((run.DagId, run.RunId));
            // A run that finished since the last pass: its tasks' last changes come before the run's end.
            if (hub.StateOf(run.DagId, run.RunId) is { } known && known != run.State
                && await store.GetRunAsync(run.DagId, run.RunId, cancellationToken) is { } finished)
            {
                foreach (var task in finished.Tasks)
                {
                    hub.Task(task, quiet);
                }
            }

            hub.Run(run, quiet);
        }

        foreach (var run in active.TakeLast(MaxActive))
        {
            keep.Add((run.DagId, run.RunId));
            // A run first seen now has its tasks recorded without an event each: its own event says it is there.
            var first = !hub.Knows(run.DagId, run.RunId);
            hub.Run(run, quiet);
            var snapshot = await store.GetRunAsync(run.DagId, run.RunId, cancellationToken);
            if (snapshot is null)
            {
                continue;
            }

            foreach (var task in snapshot.Tasks)
            {
                hub.Task(task, quiet || first);
            }

            hub.Run(snapshot.Run, quiet);
        }

        hub.Forget(keep);
        if (quiet)
        {
            hub.MarkPrimed();
        }
    }
}
