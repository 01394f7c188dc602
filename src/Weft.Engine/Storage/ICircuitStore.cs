namespace Weft.Engine.Storage;

/// <summary>A circuit breaker's shared state: consecutive failures, and since when it is open or probing.</summary>
/// <param name="State"><c>closed</c>, <c>open</c> or <c>half_open</c> (one probe attempt running).</param>
public sealed record CircuitRecord(string Name, string State, int Failures, DateTimeOffset? OpenedAt, DateTimeOffset? ProbeStartedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// The storage port for circuit breakers, shared by every process on the database so a breaker counts failures
/// across runs and workers. Each call is one atomic statement.
/// </summary>
public interface ICircuitStore
{
    /// <summary>The breaker, or null when no attempt went through it yet.</summary>
    Task<CircuitRecord?> GetCircuitAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every breaker, by name.</summary>
    Task<IReadOnlyList<CircuitRecord>> ListCircuitsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the caller the probe of an open breaker whose cooldown has passed (or of a probe older than the cooldown,
    /// whose process is taken to be gone); false when another caller got there first.
    /// </summary>
    Task<bool> TryStartProbeAsync(string name, DateTimeOffset now, TimeSpan cooldown, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt's end: a success closes the breaker; a failure counts, and opens it at
    /// <paramref name="threshold"/> consecutive failures or when the probe failed.
    /// </summary>
    Task<CircuitRecord> RecordCircuitResultAsync(string name, bool success, int threshold, DateTimeOffset now, CancellationToken cancellationToken);
}
