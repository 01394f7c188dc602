namespace Weft.Server.Caching;

/// <summary>
/// A value read from the database and reused until it is older than the caller allows or this process changed
/// what it was read from (<see cref="Invalidate"/>). Changes made by other processes (the <c>weft</c> command on
/// the same database) are therefore seen within the age the caller asks for.
/// </summary>
/// <remarks>
/// One load at a time: concurrent callers that find the value stale wait for the same load instead of each
/// querying. A caller never joins a load that started before the latest <see cref="Invalidate"/>, so a change made
/// in this process is visible to every request that starts after it.
/// </remarks>
internal sealed class RefreshingValue<T>(Func<CancellationToken, Task<T>> load, TimeProvider time)
    where T : class
{
    private readonly Lock _gate = new();
    private Entry? _entry;
    private long _generation;
    private Task<Entry>? _loading;
    private long _loadingGeneration = -1;

    /// <summary>The value, loaded again first when it is older than <paramref name="maxAge"/> or was invalidated.</summary>
    public ValueTask<T> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var entry = Volatile.Read(ref _entry);
        if (entry is not null && entry.Generation == Volatile.Read(ref _generation) && time.GetElapsedTime(entry.LoadedAt) < maxAge)
        {
            return new ValueTask<T>(entry.Value);
        }

        return new ValueTask<T>(LoadAsync(cancellationToken));
    }

    /// <summary>Forgets the value: the next <see cref="GetAsync"/> loads it again.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    private async Task<T> LoadAsync(CancellationToken cancellationToken)
    {
        Task<Entry> loading;
        lock (_gate)
        {
            var generation = Volatile.Read(ref _generation);
            // A finished load is not joined: whoever gets here found its value too old already.
            if (_loading is not { IsCompleted: false } || _loadingGeneration != generation)
            {
                _loadingGeneration = generation;
                // Not the caller's token: other callers may wait for this load after the first one gave up.
                _loading = LoadEntryAsync(generation);
            }

            loading = _loading;
        }

        return (await loading.WaitAsync(cancellationToken)).Value;
    }

    private async Task<Entry> LoadEntryAsync(long generation)
    {
        // Timed from before the read, so the age bounds how old the database state behind the value is.
        var started = time.GetTimestamp();
        var entry = new Entry(await load(CancellationToken.None).ConfigureAwait(false), started, generation);
        lock (_gate)
        {
            // A slow load from before an invalidation must not replace a newer one.
            if (_entry is null || _entry.Generation <= generation)
            {
                _entry = entry;
            }
        }

        return entry;
    }

    private sealed record Entry(T Value, long LoadedAt, long Generation);
}
