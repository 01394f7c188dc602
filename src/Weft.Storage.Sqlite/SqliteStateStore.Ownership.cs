using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite;

/// <summary>Owners, their leases, and run claims.</summary>
public sealed partial class SqliteStateStore
{
    // An owner is live while its lease has not ended; a run whose owner is not live (or has none) may be claimed.
    private const string NoLiveOwner =
        "(r.owner IS NULL OR NOT EXISTS (SELECT 1 FROM owners o WHERE o.owner_id = r.owner AND o.lease_expires_at > $now))";

    /// <inheritdoc />
    public Task<RunClaim> CreateClaimedRunAsync(RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);

        return WriteAsync((connection, transaction) =>
        {
            InsertRun(connection, run, tasks, cancellationToken);
            using var claim = Command(connection, transaction,
                "UPDATE dag_runs SET owner = $owner, claim_epoch = 1 WHERE dag_id = $dag_id AND run_id = $run_id");
            claim.Parameters.AddWithValue("$owner", owner);
            claim.Parameters.AddWithValue("$dag_id", run.DagId);
            claim.Parameters.AddWithValue("$run_id", run.RunId);
            claim.ExecuteNonQuery();
            return new RunClaim(run.DagId, run.RunId, owner, 1);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ClaimedRun?> ClaimRunAsync(string dagId, string runId, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);

        return WriteAsync<ClaimedRun?>((connection, transaction) =>
        {
            // One conditional UPDATE decides the race: inside BEGIN IMMEDIATE no other writer (in any process) runs.
            using var take = Command(connection, transaction, $"""
                UPDATE dag_runs AS r SET owner = $owner, claim_epoch = claim_epoch + 1
                WHERE dag_id = $dag_id AND run_id = $run_id AND state IN ('queued', 'running')
                  AND (r.owner = $owner OR {NoLiveOwner})
                RETURNING claim_epoch
                """);
            take.Parameters.AddWithValue("$owner", owner);
            take.Parameters.AddWithValue("$dag_id", dagId);
            take.Parameters.AddWithValue("$run_id", runId);
            take.Parameters.AddWithValue("$now", ToDb(now));
            var epoch = take.ExecuteScalar();
            if (epoch is not long e)
            {
                return null;
            }

            var snapshot = ReadSnapshot(connection, transaction, dagId, runId)!;
            return new ClaimedRun(new RunClaim(dagId, runId, owner, e), snapshot);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task RegisterOwnerAsync(OwnerRecord owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);

        return WriteAsync((connection, transaction) =>
        {
            using (var upsert = Command(connection, transaction, """
                INSERT INTO owners (owner_id, kind, host, pid, process_start, started_at, heartbeat_at, lease_expires_at, queues)
                VALUES ($owner_id, $kind, $host, $pid, $process_start, $started_at, $heartbeat_at, $lease_expires_at, $queues)
                ON CONFLICT (owner_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, lease_expires_at = excluded.lease_expires_at
                """))
            {
                upsert.Parameters.AddWithValue("$owner_id", owner.OwnerId);
                upsert.Parameters.AddWithValue("$kind", owner.Kind);
                upsert.Parameters.AddWithValue("$host", owner.Host);
                upsert.Parameters.AddWithValue("$pid", owner.Pid);
                upsert.Parameters.AddWithValue("$process_start", owner.ProcessStart);
                upsert.Parameters.AddWithValue("$started_at", ToDb(owner.StartedAt));
                upsert.Parameters.AddWithValue("$heartbeat_at", ToDb(owner.HeartbeatAt));
                upsert.Parameters.AddWithValue("$lease_expires_at", ToDb(owner.LeaseExpiresAt));
                upsert.Parameters.AddWithValue("$queues", owner.Queues.Count == 0 ? DBNull.Value : string.Join(',', owner.Queues));
                upsert.ExecuteNonQuery();
            }

            // Owners dead for a day that hold nothing are history nobody reads.
            using var prune = Command(connection, transaction, """
                DELETE FROM owners WHERE lease_expires_at < $cutoff
                  AND NOT EXISTS (SELECT 1 FROM dag_runs r WHERE r.owner = owners.owner_id)
                """);
            prune.Parameters.AddWithValue("$cutoff", ToDb(owner.HeartbeatAt.AddDays(-1)));
            prune.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewOwnerAsync(string ownerId, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var renew = Command(connection, transaction,
                "UPDATE owners SET heartbeat_at = $now, lease_expires_at = $lease WHERE owner_id = $owner_id AND lease_expires_at > $now");
            renew.Parameters.AddWithValue("$now", ToDb(now));
            renew.Parameters.AddWithValue("$lease", ToDb(leaseExpiresAt));
            renew.Parameters.AddWithValue("$owner_id", ownerId);
            return renew.ExecuteNonQuery() > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task ExpireOwnerAsync(string ownerId, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var expire = Command(connection, transaction, "UPDATE owners SET lease_expires_at = 0 WHERE owner_id = $owner_id");
            expire.Parameters.AddWithValue("$owner_id", ownerId);
            return expire.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task RemoveOwnerAsync(string ownerId, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using (var release = Command(connection, transaction, "UPDATE dag_runs SET owner = NULL WHERE owner = $owner_id"))
            {
                release.Parameters.AddWithValue("$owner_id", ownerId);
                release.ExecuteNonQuery();
            }

            using var delete = Command(connection, transaction, "DELETE FROM owners WHERE owner_id = $owner_id");
            delete.Parameters.AddWithValue("$owner_id", ownerId);
            return delete.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OwnerRecord>> ListOwnersAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<OwnerRecord>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction,
                "SELECT owner_id, kind, host, pid, process_start, started_at, heartbeat_at, lease_expires_at, queues FROM owners ORDER BY started_at, owner_id");
            using var reader = select.ExecuteReader();
            var owners = new List<OwnerRecord>();
            while (reader.Read())
            {
                owners.Add(new OwnerRecord(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4),
                    ToTime(reader.GetInt64(5)), ToTime(reader.GetInt64(6)), ToTime(reader.GetInt64(7)))
                {
                    Queues = reader.IsDBNull(8) ? [] : reader.GetString(8).Split(','),
                });
            }

            return owners;
        }, cancellationToken);
}
