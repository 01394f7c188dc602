using Npgsql;
using Weft.Engine.Storage;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore : IQueueNotifications
{
    /// <inheritdoc />
    /// <remarks>
    /// One connection of its own, outside the pool's turnover, with <c>LISTEN</c> on both queue channels. Keepalives are
    /// on (see <see cref="PostgresConnections"/>), so a silent partition ends the wait with an error; the connection is
    /// then opened again with backoff, and every reopening is told as <see cref="QueueNotice.Reconnected"/> so the
    /// caller looks at the queue for what it missed meanwhile.
    /// </remarks>
    public async Task ListenAsync(Action<QueueNotice> notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var delay = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => notice(e.Channel == DoneChannel ? QueueNotice.Done : QueueNotice.Queued);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresMigrations.QuoteIdentifier(QueueChannel)}; LISTEN {PostgresMigrations.QuoteIdentifier(DoneChannel)}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                delay = TimeSpan.FromMilliseconds(100);
                notice(QueueNotice.Reconnected);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or TimeoutException)
            {
                _logger.LogDebugListenLost(ex.Message);
            }

            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }
}

internal static partial class ListenLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "The queue's notification connection was lost: {Message}")]
    public static partial void LogDebugListenLost(this Microsoft.Extensions.Logging.ILogger logger, string message);
}
