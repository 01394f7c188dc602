using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Weft.Server.Hosting;

namespace Weft.Server.Auth;

/// <summary>
/// Counts failed authentications per client address over a sliding minute; past the limit the address's invalid
/// tokens get 429 until old failures slide out, while a valid token from it still works (a guesser cannot lock
/// others out). Guessing tokens at 20 a minute is hopeless against 256-bit tokens. Behind a reverse proxy the
/// address is the client's only when the proxy is listed in <see cref="ServerOptions.KnownProxies"/>.
/// </summary>
internal sealed class AuthFailureLimiter(IOptions<ServerOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly int _limit = options.Value.AuthFailuresPerMinute;

    /// <summary>Records a failure from an address.</summary>
    public void RecordFailure(IPAddress? address)
    {
        var now = time.GetUtcNow();
        var queue = _failures.GetOrAdd(Key(address), _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Trim(queue, now);
            queue.Enqueue(now);
        }

        if (_failures.Count > 10_000)
        {
            Sweep(now);
        }
    }

    /// <summary>True when the address failed too often in the last minute; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_failures.TryGetValue(Key(address), out var queue))
        {
            return false;
        }

        var now = time.GetUtcNow();
        lock (queue)
        {
            Trim(queue, now);
            if (queue.Count < _limit)
            {
                return false;
            }

            retryAfter = queue.Peek() + Window - now;
            return true;
        }
    }

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    private static void Trim(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.Count > 0 && now - queue.Peek() >= Window)
        {
            queue.Dequeue();
        }
    }

    // Bounds memory when many addresses fail once: drops addresses with no failure left in the window.
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, queue) in _failures)
        {
            lock (queue)
            {
                Trim(queue, now);
                if (queue.Count == 0)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }
}
