using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weft.Engine.Storage;

namespace Weft.Server.Auth;

/// <summary>
/// Tokens' last use, written in the background every few seconds (and on stop) rather than by the request:
/// a request only notes the time in memory, and a token is noted at most once per interval.
/// </summary>
internal sealed class TokenUsage(IAccessStore access, TimeProvider time, ILogger<TokenUsage> logger) : BackgroundService
{
    /// <summary>How far behind <c>last_used_at</c> may be.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _noted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);

    /// <summary>Notes that a token was used now.</summary>
    public void Touch(string name)
    {
        var now = time.GetUtcNow();
        if (_noted.TryGetValue(name, out var last) && now - last < FlushInterval)
        {
            return;
        }

        _noted[name] = now;
        _pending[name] = now;
    }

    /// <summary>Writes what was noted since the last write.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var name in _pending.Keys)
        {
            if (_pending.TryRemove(name, out var when))
            {
                await access.TouchTokenAsync(name, when, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Writing tokens' last use failed");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Writing tokens' last use failed");
            }
        }
    }
}
