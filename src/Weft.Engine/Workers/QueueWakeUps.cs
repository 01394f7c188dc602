using Microsoft.Extensions.Logging;
using Weft.Engine.Storage;

namespace Weft.Engine.Workers;

/// <summary>
/// Wakes a queue reader when its store announces queue changes (<see cref="IQueueNotifications"/>); with a store that
/// announces nothing it does nothing, and the reader's poll does the work.
/// </summary>
internal sealed class QueueWakeUps : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;

    private QueueWakeUps(IQueueNotifications store, Action<QueueNotice> wake, ILogger logger)
    {
        _listening = Task.Run(async () =>
        {
            try
            {
                await store.ListenAsync(wake, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Queue notifications stopped; polling only: {Message}", ex.Message);
            }
        });
    }

    /// <summary>True when the store announces queue changes.</summary>
    public static bool Supported(IStateStore store) => store is IQueueNotifications;

    /// <summary>Starts listening when the store can; <paramref name="wake"/> is called on every notice.</summary>
    public static Task<QueueWakeUps?> StartAsync(IStateStore store, Action wake, ILogger logger, CancellationToken cancellationToken) =>
        StartAsync(store, _ => wake(), logger, cancellationToken);

    /// <summary>Starts listening when the store can; <paramref name="wake"/> is told each notice.</summary>
    public static Task<QueueWakeUps?> StartAsync(IStateStore store, Action<QueueNotice> wake, ILogger logger, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(store is IQueueNotifications notifications ? new QueueWakeUps(notifications, wake, logger) : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
