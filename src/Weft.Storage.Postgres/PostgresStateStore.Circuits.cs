using Npgsql;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore : ICircuitStore
{
    private const string CircuitColumns = "name, state, failures, opened_at, probe_started_at, updated_at";

    /// <inheritdoc />
    public Task<CircuitRecord?> GetCircuitAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return QueryFirstAsync(ReadCircuit, cancellationToken, $"SELECT {CircuitColumns} FROM circuit_breakers WHERE name = $1", name);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CircuitRecord>> ListCircuitsAsync(CancellationToken cancellationToken) =>
        QueryAsync(ReadCircuit, cancellationToken, $"SELECT {CircuitColumns} FROM circuit_breakers ORDER BY name COLLATE \"C\"");

    /// <inheritdoc />
    public Task<bool> TryStartProbeAsync(string name, DateTimeOffset now, TimeSpan cooldown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return OnceAsync(async connection =>
        {
            // One UPDATE decides between concurrent callers: the row lock makes the second see the first's change.
            await using var update = Command(connection, null, """
                UPDATE circuit_breakers SET state = 'half_open', probe_started_at = $2, updated_at = $2
                WHERE name = $1 AND (
                    (state = 'open' AND opened_at <= $3) OR
                    (state = 'half_open' AND probe_started_at <= $3))
                """, name, ToDb(now), ToDb(now - cooldown));
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CircuitRecord> RecordCircuitResultAsync(string name, bool success, int threshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return OnceAsync(async connection =>
        {
            await using var upsert = Command(connection, null, (success
                ? """
                  INSERT INTO circuit_breakers AS c (name, state, failures, opened_at, probe_started_at, updated_at)
                  VALUES ($1, 'closed', 0, NULL, NULL, $2)
                  ON CONFLICT (name) DO UPDATE SET state = 'closed', failures = 0, opened_at = NULL, probe_started_at = NULL, updated_at = $2
                  """
                : """
                  INSERT INTO circuit_breakers AS c (name, state, failures, opened_at, probe_started_at, updated_at)
                  VALUES ($1, CASE WHEN $3 <= 1 THEN 'open' ELSE 'closed' END, 1, CASE WHEN $3 <= 1 THEN $2 END, NULL, $2)
                  ON CONFLICT (name) DO UPDATE SET
                      opened_at = CASE
                          WHEN c.state = 'half_open' OR (c.state = 'closed' AND c.failures + 1 >= $3) THEN $2
                          ELSE c.opened_at END,
                      state = CASE
                          WHEN c.state = 'half_open' OR c.failures + 1 >= $3 THEN 'open'
                          ELSE c.state END,
                      failures = c.failures + 1,
                      probe_started_at = NULL,
                      updated_at = $2
                  """) + $" RETURNING {CircuitColumns}", name, ToDb(now), threshold);
            return (await ReadAllAsync(upsert, ReadCircuit, cancellationToken).ConfigureAwait(false)).Single();
        }, cancellationToken);
    }

    private static CircuitRecord ReadCircuit(NpgsqlDataReader reader) => new(
        Name: reader.GetString(0),
        State: reader.GetString(1),
        Failures: reader.GetInt32(2),
        OpenedAt: reader.IsDBNull(3) ? null : ToTime(reader.GetInt64(3)),
        ProbeStartedAt: reader.IsDBNull(4) ? null : ToTime(reader.GetInt64(4)),
        UpdatedAt: ToTime(reader.GetInt64(5)));
}
