using Microsoft.Extensions.Logging;
using Weft.Engine.Execution;
using Weft.Engine.Storage;
using Weft.Engine.Workers;

namespace Weft.Hosting;

/// <summary>
/// The queue worker of a host that named queues (<see cref="WeftBuilder.AddWorker"/>): the engine's
/// <see cref="QueueWorker"/> under an <see cref="Executor"/> of its own, with a lease of kind <c>worker</c>, woken by
/// the store's queue notifications (PostgreSQL's <c>LISTEN/NOTIFY</c>) or by its poll — what <c>weft worker --queues
/// a,b</c> runs. It shows in <c>/api/v1/workers</c> beside the command's workers.
/// </summary>
internal sealed class WeftQueueWorker : IAsyncDisposable
{
    private readonly Executor _executor;
    private readonly QueueWakeUps? _wakeUps;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private WeftQueueWorker(Executor executor, QueueWorker worker, QueueWakeUps? wakeUps)
    {
        _executor = executor;
        _wakeUps = wakeUps;
        _running = Task.Run(() => worker.RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Registers the worker and starts taking attempts of <paramref name="queues"/>.</summary>
    public static async Task<WeftQueueWorker> StartAsync(IStateStore store, IReadOnlyList<string> queues, int concurrency, string home, string tasksDir, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var executor = await Executor.StartAsync(
            store,
            new ExecutorSettings { Kind = "worker", Home = home, TasksDir = tasksDir, Parallelism = concurrency, Queues = queues },
            time,
            logger,
            cancellationToken).ConfigureAwait(false);
        try
        {
            // With notifications the poll is only a safety net; without them (SQLite) it is how work is found.
            var worker = new QueueWorker(executor, queues, concurrency, time, logger, QueueWakeUps.Supported(store) ? TimeSpan.FromMilliseconds(500) : null);
            var wakeUps = await QueueWakeUps.StartAsync(store, worker.Nudge, logger, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Weft queue worker {Owner} started: queues {Queues}, {Concurrency} at once", executor.Lease.OwnerId, string.Join(",", queues), concurrency);
            return new WeftQueueWorker(executor, worker, wakeUps);
        }
        catch
        {
            await executor.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops taking attempts; those running here are killed and reported lost, so they run again without using a retry.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_wakeUps is not null)
        {
            await _wakeUps.DisposeAsync().ConfigureAwait(false);
        }

        await _executor.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
