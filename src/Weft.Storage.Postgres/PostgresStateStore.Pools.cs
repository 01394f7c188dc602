using Weft.Engine.Storage;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    /// <inheritdoc />
    public Task SetPoolAsync(string name, int slots, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(slots);

        return OnceAsync(async connection =>
        {
            await using var upsert = Command(connection, null,
                "INSERT INTO pools (name, slots) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET slots = excluded.slots", name, slots);
            return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PoolRecord>> ListPoolsAsync(CancellationToken cancellationToken) =>
        OnceAsync<IReadOnlyList<PoolRecord>>(async connection =>
        {
            // Occupancy is summed over the claim index's leading column (state), so only live rows are visited.
            await using var select = Command(connection, null, """
                SELECT p.name, p.slots, COALESCE(o.occupied, 0)::integer
                FROM pools p
                LEFT JOIN (
                    SELECT pool, SUM(pool_slots) AS occupied
                    FROM task_instances
                    WHERE state IN ('running', 'queued')
                    GROUP BY pool
                ) o ON o.pool = p.name
                ORDER BY p.name COLLATE "C"
                """);
            return await ReadAllAsync(select, reader => new PoolRecord(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)), cancellationToken)
                .ConfigureAwait(false);
        }, cancellationToken);
}
