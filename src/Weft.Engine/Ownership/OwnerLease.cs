using Microsoft.Extensions.Logging;
using Weft.Engine.Storage;

namespace Weft.Engine.Ownership;

/// <summary>
/// This process as an owner of work: registered in the store with a lease it renews every
/// <see cref="LeaseOptions.HeartbeatInterval"/>. When renewing fails for so long that the lease is about to end, the
/// current generation is fenced: <see cref="Fenced"/> fires, everything started under it is stopped, and the process
/// comes back under a new owner id once the store answers again, so it never writes under a lease another may own.
/// </summary>
internal sealed class OwnerLease : IAsyncDisposable
{
    private readonly IStateStore _store;
    private readonly string _kind;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource _generation = new();
    private Task? _heartbeat;
    private DateTimeOffset _renewedAt;
    private string _ownerId;

    private OwnerLease(IStateStore store, string kind, LeaseOptions options, StoreHealth health, TimeProvider time, ILogger logger)
    {
        _store = store;
        _kind = kind;
        Options = options;
        Health = health;
        _time = time;
        _logger = logger;
        _ownerId = NewId(kind);
    }

    /// <summary>The owner id of the current generation: what claims are made under.</summary>
    public string OwnerId => Volatile.Read(ref _ownerId);

    /// <summary>Cancelled when the current generation loses its lease; read it again for the next generation.</summary>
    public CancellationToken Fenced => Volatile.Read(ref _generation).Token;

    /// <summary>The queues this owner serves (a worker's), recorded on its row.</summary>
    public IReadOnlyList<string> Queues { get; private init; } = [];

    /// <summary>The name that starts the owner ids (a worker's <c>--name</c>); the kind when not given.</summary>
    public string? Name { get; private init; }

    /// <summary>The lease settings.</summary>
    public LeaseOptions Options { get; }

    /// <summary>Whether the database takes writes.</summary>
    public StoreHealth Health { get; }

    /// <summary>When the lease was last renewed.</summary>
    public DateTimeOffset RenewedAt => _renewedAt;

    /// <summary>Registers the owner and starts renewing its lease.</summary>
    public static async Task<OwnerLease> StartAsync(IStateStore store, string kind, LeaseOptions options, StoreHealth health, TimeProvider time, ILogger logger, CancellationToken cancellationToken, IReadOnlyList<string>? queues = null, string? name = null)
    {
        var lease = new OwnerLease(store, kind, options, health, time, logger) { Queues = queues ?? [], Name = name };
        lease._ownerId = lease.NewId();
        await lease.RegisterAsync(cancellationToken).ConfigureAwait(false);
        lease._heartbeat = Task.Run(lease.HeartbeatAsync, CancellationToken.None);
        return lease;
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await _store.RegisterOwnerAsync(
            new OwnerRecord(OwnerId, _kind, LocalProcesses.Host, Environment.ProcessId, LocalProcesses.SelfStart, now, now, now + Options.LeaseDuration) { Queues = Queues },
            cancellationToken).ConfigureAwait(false);
        _renewedAt = now;
    }

    private async Task HeartbeatAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Options.HeartbeatInterval, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await BeatAsync(token).ConfigureAwait(false);
        }
    }

    private async Task BeatAsync(CancellationToken token)
    {
        var now = _time.GetUtcNow();
        try
        {
            if (_generation.IsCancellationRequested)
            {
                // Fenced: come back under a new id.
                Volatile.Write(ref _ownerId, NewId());
                await RegisterAsync(token).ConfigureAwait(false);
                Volatile.Write(ref _generation, new CancellationTokenSource());
                Health.Succeeded();
                _logger.LogWarning("The database answers again; working on as {Owner}", OwnerId);
                return;
            }

            // Bounded by the time left on the lease: a store call that hangs past it is as good as failed.
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
            var left = Max(TimeSpan.FromSeconds(1), _renewedAt + Options.LeaseDuration - Options.FenceMargin - now);
            bound.CancelAfter(left);
            // Given up on after that time even when the driver does not honour the cancellation (a silent partition can
            // hold a connection's cancel request as long as the read it cancels): the call is left to end on its own.
            if (await _store.RenewOwnerAsync(OwnerId, now, now + Options.LeaseDuration, bound.Token).WaitAsync(left, _time, token).ConfigureAwait(false))
            {
                _renewedAt = now;
                Health.Succeeded();
                return;
            }

            _logger.LogError("The lease of {Owner} ended before it could be renewed; its work is stopped and taken up again", OwnerId);
            await FenceAsync().ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is OperationCanceledException || StoreHealth.IsTransient(ex) || ex is InvalidOperationException)
        {
            Health.Failed(ex);
            _logger.LogWarning("Renewing the lease of {Owner} failed: {Message}", OwnerId, ex.Message);
        }

        if (!_generation.IsCancellationRequested && _time.GetUtcNow() >= _renewedAt + Options.LeaseDuration - Options.FenceMargin)
        {
            _logger.LogError("The lease of {Owner} could not be renewed for {Seconds:0} s; stopping its tasks before it ends", OwnerId, (_time.GetUtcNow() - _renewedAt).TotalSeconds);
            await FenceAsync().ConfigureAwait(false);
        }
    }

    private async Task FenceAsync()
    {
        await _generation.CancelAsync().ConfigureAwait(false);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private string NewId() => NewId(Name ?? _kind);

    private static string NewId(string kind) =>
        $"{kind}:{LocalProcesses.Host}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Stops renewing and removes the owner, releasing what it still holds.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_heartbeat is not null)
        {
            await _heartbeat.ConfigureAwait(false);
        }

        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _store.RemoveOwnerAsync(OwnerId, bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException || StoreHealth.IsTransient(ex) || ex is ObjectDisposedException)
        {
            // The lease simply runs out; whatever it held is then claimed by others.
            _logger.LogDebug(ex, "Could not remove owner {Owner}", OwnerId);
        }

        _stop.Dispose();
    }
}
