using Microsoft.Extensions.Logging;
using Weft.Engine.Storage;

namespace Weft.Engine.Workers;

/// <summary>
/// Copies a worker's attempt log into the database as it grows (every second, and all of it at the end), so
/// <c>weft logs</c> and the API read it from any machine without reaching the worker, and it outlives the worker.
/// Pieces are keyed by their first byte, so a piece sent twice (a retry after a lost answer) is stored once.
/// </summary>
internal sealed class LogShipper : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private const int MaxPiece = 256 * 1024;
    private readonly IStateStore _store;
    private readonly string _attemptId;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Task _loop;
    private long _shipped;

    public LogShipper(IStateStore store, string attemptId, string path, ILogger logger)
    {
        _store = store;
        _attemptId = attemptId;
        _path = path;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, _stop.Token).ConfigureAwait(false);
                await ShipAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (Ownership.StoreHealth.IsTransient(ex) || ex is IOException)
            {
                _logger.LogDebug("Shipping the log of attempt {AttemptId} failed: {Message}", _attemptId, ex.Message);
            }
        }
    }

    /// <summary>Ships what was not shipped yet, in pieces of at most 256 KiB.</summary>
    private async Task ShipAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(_path))
            {
                return;
            }

            await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            if (stream.Length <= _shipped)
            {
                return;
            }

            stream.Position = _shipped;
            var buffer = new byte[(int)Math.Min(MaxPiece, stream.Length - _shipped)];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await _store.AppendLogAsync(_attemptId, _shipped, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                _shipped += read;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the timer and ships the rest; a database that does not answer is tried again for a while.</summary>
    public async Task FinishAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                await ShipAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (Ownership.StoreHealth.IsTransient(ex) || ex is IOException)
            {
                _logger.LogWarning("Shipping the log of attempt {AttemptId} failed, trying again: {Message}", _attemptId, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1))).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _gate.Dispose();
    }
}
