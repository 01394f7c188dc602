using Npgsql;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres;

/// <summary>Owners, their leases, and run claims.</summary>
public sealed partial class PostgresStateStore
{
    /// <inheritdoc />
    public Task<RunClaim> CreateClaimedRunAsync(RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);

        return WriteAsync(async (connection, transaction) =>
        {
            await InsertRunAsync(connection, transaction, run, tasks, owner, cancellationToken).ConfigureAwait(false);
            return new RunClaim(run.DagId, run.RunId, owner, 1);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The run's row is locked first (<c>FOR UPDATE</c>): concurrent claimers queue there, and each then decides with a
    /// statement of its own, whose fresh snapshot sees the claim and the owners committed before it got the lock.
    /// </remarks>
    public Task<ClaimedRun?> ClaimRunAsync(string dagId, string runId, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);

        return WriteAsync<ClaimedRun?>(async (connection, transaction) =>
        {
            await using (var lockRow = Command(connection, transaction, "SELECT 1 FROM dag_runs WHERE dag_id = $1 AND run_id = $2 FOR UPDATE", dagId, runId))
            {
                if (await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    return null;
                }
            }

            long epoch;
            await using (var take = Command(connection, transaction, """
                UPDATE dag_runs AS r SET owner = $3, claim_epoch = r.claim_epoch + 1
                WHERE r.dag_id = $1 AND r.run_id = $2 AND r.state IN ('queued', 'running')
                  AND (r.owner = $3 OR NOT EXISTS (SELECT 1 FROM owners o WHERE o.owner_id = r.owner AND o.lease_expires_at > $4))
                RETURNING r.claim_epoch
                """, dagId, runId, owner, ToDb(now)))
            {
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long taken)
                {
                    return null;
                }

                epoch = taken;
            }

            var snapshot = (await ReadSnapshotAsync(connection, transaction, dagId, runId, cancellationToken).ConfigureAwait(false))!;
            return new ClaimedRun(new RunClaim(dagId, runId, owner, epoch), snapshot);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RegisterOwnerAsync(OwnerRecord owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);

        return WriteAsync(async (connection, transaction) =>
        {
            await using var statements = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    BatchCommand("""
                        INSERT INTO owners (owner_id, kind, host, pid, process_start, started_at, heartbeat_at, lease_expires_at, queues)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        ON CONFLICT (owner_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, lease_expires_at = excluded.lease_expires_at
                        """,
                        owner.OwnerId, owner.Kind, owner.Host, owner.Pid, owner.ProcessStart,
                        ToDb(owner.StartedAt), ToDb(owner.HeartbeatAt), ToDb(owner.LeaseExpiresAt),
                        owner.Queues.Count == 0 ? null : string.Join(',', owner.Queues)),
                    // Owners dead for a day that hold nothing are history nobody reads.
                    BatchCommand("""
                        DELETE FROM owners o WHERE o.lease_expires_at < $1
                          AND NOT EXISTS (SELECT 1 FROM dag_runs r WHERE r.owner = o.owner_id)
                        """, ToDb(owner.HeartbeatAt.AddDays(-1))),
                },
            };
            return await statements.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewOwnerAsync(string ownerId, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken) =>
        OnceAsync(async connection =>
        {
            await using var renew = Command(connection, null,
                "UPDATE owners SET heartbeat_at = $1, lease_expires_at = $2 WHERE owner_id = $3 AND lease_expires_at > $1",
                ToDb(now), ToDb(leaseExpiresAt), ownerId);
            return await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task ExpireOwnerAsync(string ownerId, CancellationToken cancellationToken) =>
        ExecuteAsync(cancellationToken, "UPDATE owners SET lease_expires_at = 0 WHERE owner_id = $1", ownerId);

    /// <inheritdoc />
    public Task RemoveOwnerAsync(string ownerId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var statements = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    BatchCommand("UPDATE dag_runs SET owner = NULL WHERE owner = $1", ownerId),
                    BatchCommand("DELETE FROM owners WHERE owner_id = $1", ownerId),
                },
            };
            return await statements.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OwnerRecord>> ListOwnersAsync(CancellationToken cancellationToken) =>
        OnceAsync<IReadOnlyList<OwnerRecord>>(async connection =>
        {
            await using var select = Command(connection, null,
                "SELECT owner_id, kind, host, pid, process_start, started_at, heartbeat_at, lease_expires_at, queues FROM owners ORDER BY started_at, owner_id COLLATE \"C\"");
            return await ReadAllAsync(select, reader => new OwnerRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4),
                ToTime(reader.GetInt64(5)), ToTime(reader.GetInt64(6)), ToTime(reader.GetInt64(7)))
            {
                Queues = reader.IsDBNull(8) ? [] : reader.GetString(8).Split(','),
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
