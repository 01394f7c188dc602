using Npgsql;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres;

/// <summary>
/// The attempt queue on PostgreSQL: workers on any number of machines claim with <c>FOR UPDATE SKIP LOCKED</c>, so
/// concurrent claimers never wait for each other nor take a row twice; enqueues and results are announced with
/// <c>NOTIFY</c> on channels named after the schema (<see cref="QueueChannel"/>, <see cref="DoneChannel"/>).
/// </summary>
public sealed partial class PostgresStateStore
{
    private const string EntryColumns = """
        q.attempt_id, q.dag_id, q.run_id, q.task_id, q.try_number, q.queue, q.enqueued_at, q.state, q.worker, q.claimed_at,
        o.lease_expires_at, q.result_json, q.cancel_requested, q.host, q.pid, q.process_start, q.process_group
        """;

    /// <summary>The channel told the queue's name when attempts are queued.</summary>
    public string QueueChannel => "weft_queue_" + Schema;

    /// <summary>The channel told an attempt's id when its worker wrote the result.</summary>
    public string DoneChannel => "weft_done_" + Schema;

    /// <inheritdoc />
    public Task<IReadOnlyList<QueuedAttempt>> ClaimQueuedAsync(string worker, IReadOnlyList<string> queues, int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Count == 0 || max <= 0)
        {
            return Task.FromResult<IReadOnlyList<QueuedAttempt>>([]);
        }

        return OnceAsync<IReadOnlyList<QueuedAttempt>>(async connection =>
        {
            await using var claim = Command(connection, null, """
                UPDATE attempt_queue AS q SET state = 'claimed', worker = $1, claimed_at = $2
                FROM (SELECT attempt_id FROM attempt_queue WHERE state = 'queued' AND queue = ANY($3::text[])
                      ORDER BY enqueued_at, attempt_id LIMIT $4 FOR UPDATE SKIP LOCKED) AS picked
                WHERE q.attempt_id = picked.attempt_id
                  AND EXISTS (SELECT 1 FROM owners o WHERE o.owner_id = $1 AND o.lease_expires_at > $2)
                RETURNING q.attempt_id, q.dag_id, q.run_id, q.task_id, q.try_number, q.queue, q.enqueued_at, q.run_epoch
                """, worker, ToDb(now), queues.ToArray(), max);
            var taken = await ReadAllAsync(claim, reader => new QueuedAttempt(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetInt32(4), reader.GetString(5), ToTime(reader.GetInt64(6))) { RunEpoch = reader.GetInt64(7) }, cancellationToken).ConfigureAwait(false);
            return taken.OrderBy(a => a.EnqueuedAt).ThenBy(a => a.AttemptId, StringComparer.Ordinal).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <see cref="NpgsqlBatch"/> without an explicit transaction: one round trip, and PostgreSQL runs its statements
    /// as one implicit transaction. Results are written through <c>unnest</c>, each row fenced by the same conditions as
    /// a single one; the notification that results were written is sent once per report (identical notifications of one
    /// transaction are folded into one).
    /// </remarks>
    public Task<IReadOnlySet<string>> ReportQueuedAsync(string worker, IReadOnlyList<QueuedProcess> processes, IReadOnlyList<QueuedResult> results, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(results);
        if (processes.Count == 0 && results.Count == 0)
        {
            return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        }

        return OnceAsync<IReadOnlySet<string>>(async connection =>
        {
            await using var batch = new NpgsqlBatch(connection);
            if (processes.Count > 0)
            {
                batch.BatchCommands.Add(BatchCommand("""
                    WITH held AS (
                        UPDATE attempt_queue AS q SET host = p.host, pid = p.pid, process_start = p.start, process_group = p.grp
                        FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::int[]) AS p(id, host, pid, start, grp)
                        WHERE q.attempt_id = p.id AND q.worker = $6 AND q.state = 'claimed'
                        RETURNING q.attempt_id, p.host, p.pid, p.start, p.grp)
                    UPDATE task_attempts AS t SET host = held.host, pid = held.pid, process_start = held.start, process_group = held.grp
                    FROM held WHERE t.attempt_id = held.attempt_id
                    """,
                    processes.Select(p => p.AttemptId).ToArray(),
                    processes.Select(p => p.Process.Host).ToArray(),
                    processes.Select(p => p.Process.Pid).ToArray(),
                    processes.Select(p => p.Process.ProcessStart).ToArray(),
                    processes.Select(p => p.Process.ProcessGroup).ToArray(),
                    worker));
            }

            if (results.Count > 0)
            {
                batch.BatchCommands.Add(BatchCommand("""
                    WITH done AS (
                        UPDATE attempt_queue AS q SET state = 'done', result_json = r.json
                        FROM unnest($1::text[], $2::text[]) AS r(id, json)
                        WHERE q.attempt_id = r.id AND q.worker = $3 AND q.state = 'claimed'
                          AND EXISTS (SELECT 1 FROM owners o WHERE o.owner_id = $3 AND o.lease_expires_at > $4)
                        RETURNING q.attempt_id)
                    SELECT attempt_id, pg_notify($5, '') IS NULL FROM done
                    """,
                    results.Select(r => r.AttemptId).ToArray(),
                    results.Select(r => r.ResultJson).ToArray(),
                    worker,
                    ToDb(now),
                    DoneChannel));
            }

            var accepted = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    accepted.Add(reader.GetString(0));
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

            return accepted;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueEntry>> GetQueuedAsync(IReadOnlyCollection<string> attemptIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptIds);
        if (attemptIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<QueueEntry>>([]);
        }

        return OnceAsync<IReadOnlyList<QueueEntry>>(async connection =>
        {
            await using var select = Command(connection, null,
                $"SELECT {EntryColumns} FROM attempt_queue q LEFT JOIN owners o ON o.owner_id = q.worker WHERE q.attempt_id = ANY($1::text[])",
                (object)attemptIds.ToArray());
            return await ReadAllAsync(select, ReadEntry, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueEntry>> ListClaimedAsync(string? worker, CancellationToken cancellationToken) =>
        OnceAsync<IReadOnlyList<QueueEntry>>(async connection =>
        {
            await using var select = worker is null
                ? Command(connection, null,
                    $"SELECT {EntryColumns} FROM attempt_queue q LEFT JOIN owners o ON o.owner_id = q.worker WHERE q.state IN ('claimed', 'lost') ORDER BY q.claimed_at, q.attempt_id")
                : Command(connection, null,
                    $"SELECT {EntryColumns} FROM attempt_queue q LEFT JOIN owners o ON o.owner_id = q.worker WHERE q.state = 'claimed' AND q.worker = $1 ORDER BY q.claimed_at, q.attempt_id",
                    worker);
            return await ReadAllAsync(select, ReadEntry, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static QueueEntry ReadEntry(NpgsqlDataReader reader) =>
        new(
            new QueuedAttempt(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetString(5), ToTime(reader.GetInt64(6))),
            QueueStates.Parse(reader.GetString(7)),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : ToTime(reader.GetInt64(9)),
            reader.IsDBNull(10) ? null : ToTime(reader.GetInt64(10)),
            reader.IsDBNull(11) ? null : reader.GetString(11),
            reader.GetBoolean(12))
        {
            Process = reader.IsDBNull(13) ? null : new ProcessIdentity(reader.GetString(13), reader.GetInt32(14), reader.GetInt64(15), reader.GetInt32(16)),
        };

    /// <inheritdoc />
    public Task RemoveQueuedAsync(string attemptId, CancellationToken cancellationToken) =>
        ExecuteAsync(cancellationToken, "DELETE FROM attempt_queue WHERE attempt_id = $1", attemptId);

    /// <inheritdoc />
    public Task<bool> MarkQueuedLostAsync(string attemptId, string worker, CancellationToken cancellationToken) =>
        OnceAsync(async connection =>
        {
            await using var lose = Command(connection, null,
                "UPDATE attempt_queue SET state = 'lost' WHERE attempt_id = $1 AND worker = $2 AND state = 'claimed'", attemptId, worker);
            return await lose.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> CancelQueuedAsync(string attemptId, CancellationToken cancellationToken) =>
        OnceAsync(async connection =>
        {
            await using var cancel = Command(connection, null, """
                UPDATE attempt_queue SET state = CASE WHEN state = 'queued' THEN 'withdrawn' ELSE state END,
                                         cancel_requested = (state = 'claimed')
                WHERE attempt_id = $1 AND state IN ('queued', 'claimed')
                RETURNING state
                """, attemptId);
            return await cancel.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is "withdrawn";
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountQueuedAsync(CancellationToken cancellationToken) =>
        OnceAsync<IReadOnlyDictionary<string, int>>(async connection =>
        {
            await using var count = Command(connection, null, "SELECT queue, count(*) FROM attempt_queue WHERE state = 'queued' GROUP BY queue");
            var rows = await ReadAllAsync(count, reader => (reader.GetString(0), (int)reader.GetInt64(1)), cancellationToken).ConfigureAwait(false);
            return rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
        }, cancellationToken);

    /// <inheritdoc />
    public Task AppendLogAsync(string attemptId, long offset, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        OnceAsync(async connection =>
        {
            await using var append = Command(connection, null,
                "INSERT INTO attempt_logs (attempt_id, start_byte, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", attemptId, offset, bytes.ToArray());
            return await append.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<byte[]?> ReadLogAsync(string attemptId, long offset, CancellationToken cancellationToken) =>
        OnceAsync(async connection =>
        {
            await using var select = Command(connection, null,
                "SELECT start_byte, bytes FROM attempt_logs WHERE attempt_id = $1 AND start_byte + length(bytes) > $2 ORDER BY start_byte", attemptId, offset);
            var pieces = await ReadAllAsync(select, reader => (reader.GetInt64(0), (byte[])reader.GetValue(1)), cancellationToken).ConfigureAwait(false);
            if (pieces.Count == 0)
            {
                return offset == 0 ? null : [];
            }

            return QueueStates.Join(pieces, offset);
        }, cancellationToken);
}
