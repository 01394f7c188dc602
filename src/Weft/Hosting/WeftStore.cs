using Microsoft.Extensions.Logging;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Hosting;

/// <summary>The host's one store, opened (and migrated) on first use.</summary>
internal sealed class WeftStore(WeftOptions options, Func<WeftOptions, IStateStore>? factory, ILogger<WeftStore> logger) : IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IStateStore? _store;

    public async ValueTask<IStateStore> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _store) is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store is null)
            {
                var store = Open();
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _store, store);
            }

            return _store!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private IStateStore Open()
    {
        if (factory is not null && !string.IsNullOrWhiteSpace(options.PostgreSql))
        {
            return factory(options);
        }

        if (!string.IsNullOrWhiteSpace(options.PostgreSql))
        {
            throw new InvalidOperationException("Weft:PostgreSql is set: add the Weft.PostgreSql package and call UsePostgreSql in AddWeft");
        }

        return new SqliteStateStore(Path.GetFullPath(options.Database), logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is { } store)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    // See WeftRuntime.Dispose: a synchronously disposed provider must still close the database.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
