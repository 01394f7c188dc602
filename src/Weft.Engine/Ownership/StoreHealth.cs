namespace Weft.Engine.Ownership;

/// <summary>
/// Whether this process can write to its database now: the last write that failed, and whether any write has
/// succeeded since. Writes are retried with backoff while it is degraded; health endpoints report it.
/// </summary>
internal sealed class StoreHealth(TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _failingSince;
    private string? _lastError;

    /// <summary>True while the database refuses writes (locked, unreachable, full).</summary>
    public bool Degraded
    {
        get
        {
            lock (_lock)
            {
                return _failingSince is not null;
            }
        }
    }

    /// <summary>Since when writes fail, and the last error; null when writes work.</summary>
    public (DateTimeOffset Since, string Error)? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failingSince is { } since ? (since, _lastError ?? "") : null;
            }
        }
    }

    /// <summary>Records a failed write.</summary>
    public void Failed(Exception error)
    {
        lock (_lock)
        {
            _failingSince ??= time.GetUtcNow();
            _lastError = error.Message;
        }
    }

    /// <summary>Records a write that went through.</summary>
    public void Succeeded()
    {
        if (_failingSince is null)
        {
            return;
        }

        lock (_lock)
        {
            _failingSince = null;
            _lastError = null;
        }
    }

    /// <summary>
    /// Whether a failed store call is worth trying again: the database is locked, busy, unreachable or out of space.
    /// A refused claim is never retried (it is final), nor is a cancelled call.
    /// </summary>
    public static bool IsTransient(Exception error) =>
        error is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException
        || (error is InvalidOperationException && error.InnerException is { } inner && IsTransient(inner));
}
