using Weft.Engine.Storage;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <inheritdoc />
    public Task SetPoolAsync(string name, int slots, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(slots);

        return WriteAsync((connection, transaction) =>
        {
            using var upsert = Command(connection, transaction,
                "INSERT INTO pools (name, slots) VALUES ($name, $slots) ON CONFLICT (name) DO UPDATE SET slots = excluded.slots");
            upsert.Parameters.AddWithValue("$name", name);
            upsert.Parameters.AddWithValue("$slots", slots);
            return upsert.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PoolRecord>> ListPoolsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<PoolRecord>>((connection, transaction) =>
        {
            // Occupancy is summed over the claim index's leading column (state), so only live rows are visited.
            using var select = Command(connection, transaction, """
                SELECT p.name, p.slots, COALESCE(o.occupied, 0)
                FROM pools p
                LEFT JOIN (
                    SELECT pool, SUM(pool_slots) AS occupied
                    FROM task_instances
                    WHERE state IN ('running', 'queued')
                    GROUP BY pool
                ) o ON o.pool = p.name
                ORDER BY p.name
                """);
            using var reader = select.ExecuteReader();
            var pools = new List<PoolRecord>();
            while (reader.Read())
            {
                pools.Add(new PoolRecord(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }
            return pools;
        }, cancellationToken);
}
