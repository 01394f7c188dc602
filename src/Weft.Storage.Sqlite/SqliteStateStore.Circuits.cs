using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore : ICircuitStore
{
    private const string CircuitColumns = "name, state, failures, opened_at, probe_started_at, updated_at";

    /// <inheritdoc />
    public Task<CircuitRecord?> GetCircuitAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadAsync((connection, transaction) =>
        {
            using var select = Command(connection, transaction, $"SELECT {CircuitColumns} FROM circuit_breakers WHERE name = $name");
            select.Parameters.AddWithValue("$name", name);
            using var reader = select.ExecuteReader();
            return reader.Read() ? ReadCircuit(reader) : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CircuitRecord>> ListCircuitsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CircuitRecord>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction, $"SELECT {CircuitColumns} FROM circuit_breakers ORDER BY name");
            using var reader = select.ExecuteReader();
            var list = new List<CircuitRecord>();
            while (reader.Read())
            {
                list.Add(ReadCircuit(reader));
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> TryStartProbeAsync(string name, DateTimeOffset now, TimeSpan cooldown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return WriteAsync((connection, transaction) =>
        {
            // One UPDATE decides between concurrent callers: only the one that still sees the old state wins.
            using var update = Command(connection, transaction, """
                UPDATE circuit_breakers SET state = 'half_open', probe_started_at = $now, updated_at = $now
                WHERE name = $name AND (
                    (state = 'open' AND opened_at <= $due) OR
                    (state = 'half_open' AND probe_started_at <= $due))
                """);
            update.Parameters.AddWithValue("$name", name);
            update.Parameters.AddWithValue("$now", ToDb(now));
            update.Parameters.AddWithValue("$due", ToDb(now - cooldown));
            return update.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CircuitRecord> RecordCircuitResultAsync(string name, bool success, int threshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return WriteAsync((connection, transaction) =>
        {
            using var upsert = Command(connection, transaction, success
                ? """
                  INSERT INTO circuit_breakers (name, state, failures, opened_at, probe_started_at, updated_at)
                  VALUES ($name, 'closed', 0, NULL, NULL, $now)
                  ON CONFLICT (name) DO UPDATE SET state = 'closed', failures = 0, opened_at = NULL, probe_started_at = NULL, updated_at = $now
                  """
                : """
                  INSERT INTO circuit_breakers (name, state, failures, opened_at, probe_started_at, updated_at)
                  VALUES ($name, CASE WHEN $threshold <= 1 THEN 'open' ELSE 'closed' END, 1, CASE WHEN $threshold <= 1 THEN $now END, NULL, $now)
                  ON CONFLICT (name) DO UPDATE SET
                      opened_at = CASE
                          WHEN state = 'half_open' OR (state = 'closed' AND failures + 1 >= $threshold) THEN $now
                          ELSE opened_at END,
                      state = CASE
                          WHEN state = 'half_open' OR failures + 1 >= $threshold THEN 'open'
                          ELSE state END,
                      failures = failures + 1,
                      probe_started_at = NULL,
                      updated_at = $now
                  """);
            upsert.Parameters.AddWithValue("$name", name);
            upsert.Parameters.AddWithValue("$now", ToDb(now));
            upsert.Parameters.AddWithValue("$threshold", threshold);
            upsert.ExecuteNonQuery();
            using var select = Command(connection, transaction, $"SELECT {CircuitColumns} FROM circuit_breakers WHERE name = $name");
            select.Parameters.AddWithValue("$name", name);
            using var reader = select.ExecuteReader();
            reader.Read();
            return ReadCircuit(reader);
        }, cancellationToken);
    }

    private static CircuitRecord ReadCircuit(SqliteDataReader reader) => new(
        Name: reader.GetString(0),
        State: reader.GetString(1),
        Failures: reader.GetInt32(2),
        OpenedAt: reader.IsDBNull(3) ? null : ToTime(reader.GetInt64(3)),
        ProbeStartedAt: reader.IsDBNull(4) ? null : ToTime(reader.GetInt64(4)),
        UpdatedAt: ToTime(reader.GetInt64(5)));
}
