using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite;

/// <summary>
/// The attempt queue on SQLite: one writer at a time, so a claim is a plain conditional update (no row can be taken
/// twice); workers on one machine share the file.
/// </summary>
public sealed partial class SqliteStateStore
{
    private const string EntryColumns = """
        q.attempt_id, q.dag_id, q.run_id, q.task_id, q.try_number, q.queue, q.enqueued_at, q.state, q.worker, q.claimed_at,
        o.lease_expires_at, q.result_json, q.cancel_requested, q.host, q.pid, q.process_start, q.process_group
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<QueuedAttempt>> ClaimQueuedAsync(string worker, IReadOnlyList<string> queues, int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Count == 0 || max <= 0)
        {
            return Task.FromResult<IReadOnlyList<QueuedAttempt>>([]);
        }

        return WriteAsync<IReadOnlyList<QueuedAttempt>>((connection, transaction) =>
        {
            var names = string.Join(", ", queues.Select((_, i) => $"$q{i}"));
            using var claim = Command(connection, transaction, $"""
                UPDATE attempt_queue SET state = 'claimed', worker = $worker, claimed_at = $now
                WHERE attempt_id IN (SELECT attempt_id FROM attempt_queue WHERE state = 'queued' AND queue IN ({names})
                                     ORDER BY enqueued_at, attempt_id LIMIT $max)
                  AND EXISTS (SELECT 1 FROM owners o WHERE o.owner_id = $worker AND o.lease_expires_at > $now)
                RETURNING attempt_id, dag_id, run_id, task_id, try_number, queue, enqueued_at, run_epoch
                """);
            claim.Parameters.AddWithValue("$worker", worker);
            claim.Parameters.AddWithValue("$now", ToDb(now));
            claim.Parameters.AddWithValue("$max", max);
            for (var i = 0; i < queues.Count; i++)
            {
                claim.Parameters.AddWithValue($"$q{i}", queues[i]);
            }

            using var reader = claim.ExecuteReader();
            var taken = new List<QueuedAttempt>();
            while (reader.Read())
            {
                taken.Add(new QueuedAttempt(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt32(4), reader.GetString(5), ToTime(reader.GetInt64(6))) { RunEpoch = reader.GetInt64(7) });
            }

            return taken.OrderBy(a => a.EnqueuedAt).ThenBy(a => a.AttemptId, StringComparer.Ordinal).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> ReportQueuedAsync(string worker, IReadOnlyList<QueuedProcess> processes, IReadOnlyList<QueuedResult> results, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(results);
        if (processes.Count == 0 && results.Count == 0)
        {
            return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        }

        return WriteAsync<IReadOnlySet<string>>((connection, transaction) =>
        {
            if (processes.Count > 0)
            {
                using var entry = Command(connection, transaction, """
                    UPDATE attempt_queue SET host = $host, pid = $pid, process_start = $start, process_group = $group
                    WHERE attempt_id = $attempt_id AND worker = $worker AND state = 'claimed'
                    """);
                using var attempt = Command(connection, transaction,
                    "UPDATE task_attempts SET host = $host, pid = $pid, process_start = $start, process_group = $group WHERE attempt_id = $attempt_id");
                foreach (var (attemptId, process) in processes)
                {
                    entry.Parameters.Clear();
                    BindProcess(entry, attemptId, process);
                    entry.Parameters.AddWithValue("$worker", worker);
                    if (entry.ExecuteNonQuery() > 0)
                    {
                        attempt.Parameters.Clear();
                        BindProcess(attempt, attemptId, process);
                        attempt.ExecuteNonQuery();
                    }
                }
            }

            var accepted = new HashSet<string>(StringComparer.Ordinal);
            if (results.Count > 0)
            {
                using var complete = Command(connection, transaction, """
                    UPDATE attempt_queue SET state = 'done', result_json = $result
                    WHERE attempt_id = $attempt_id AND worker = $worker AND state = 'claimed'
                      AND EXISTS (SELECT 1 FROM owners o WHERE o.owner_id = $worker AND o.lease_expires_at > $now)
                    """);
                var result = complete.Parameters.Add("$result", SqliteType.Text);
                var id = complete.Parameters.Add("$attempt_id", SqliteType.Text);
                complete.Parameters.AddWithValue("$worker", worker);
                complete.Parameters.AddWithValue("$now", ToDb(now));
                foreach (var (attemptId, json) in results)
                {
                    result.Value = json;
                    id.Value = attemptId;
                    if (complete.ExecuteNonQuery() > 0)
                    {
                        accepted.Add(attemptId);
                    }
                }
            }

            return accepted;
        }, cancellationToken);
    }

    private static void BindProcess(SqliteCommand command, string attemptId, ProcessIdentity process)
    {
        command.Parameters.AddWithValue("$attempt_id", attemptId);
        command.Parameters.AddWithValue("$host", process.Host);
        command.Parameters.AddWithValue("$pid", process.Pid);
        command.Parameters.AddWithValue("$start", process.ProcessStart);
        command.Parameters.AddWithValue("$group", process.ProcessGroup);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueEntry>> GetQueuedAsync(IReadOnlyCollection<string> attemptIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptIds);
        if (attemptIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<QueueEntry>>([]);
        }

        return ReadAsync<IReadOnlyList<QueueEntry>>((connection, transaction) =>
        {
            var entries = new List<QueueEntry>(attemptIds.Count);
            // Bounded parameter lists: SQLite allows a few thousand per statement.
            foreach (var chunk in attemptIds.Chunk(500))
            {
                using var select = Command(connection, transaction,
                    $"SELECT {EntryColumns} FROM attempt_queue q LEFT JOIN owners o ON o.owner_id = q.worker WHERE q.attempt_id IN ({string.Join(", ", chunk.Select((_, i) => $"$a{i}"))})");
                for (var i = 0; i < chunk.Length; i++)
                {
                    select.Parameters.AddWithValue($"$a{i}", chunk[i]);
                }

                ReadEntries(select, entries);
            }

            return entries;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueEntry>> ListClaimedAsync(string? worker, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<QueueEntry>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction,
                $"SELECT {EntryColumns} FROM attempt_queue q LEFT JOIN owners o ON o.owner_id = q.worker WHERE " +
                (worker is null ? "q.state IN ('claimed', 'lost')" : "q.state = 'claimed' AND q.worker = $worker") + " ORDER BY q.claimed_at, q.attempt_id");
            if (worker is not null)
            {
                select.Parameters.AddWithValue("$worker", worker);
            }

            var entries = new List<QueueEntry>();
            ReadEntries(select, entries);
            return entries;
        }, cancellationToken);

    private static void ReadEntries(SqliteCommand select, List<QueueEntry> into)
    {
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var attempt = new QueuedAttempt(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetString(5), ToTime(reader.GetInt64(6)));
            into.Add(new QueueEntry(
                attempt,
                QueueStates.Parse(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : ToTime(reader.GetInt64(9)),
                reader.IsDBNull(10) ? null : ToTime(reader.GetInt64(10)),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.GetInt64(12) != 0)
            {
                Process = reader.IsDBNull(13) ? null : new ProcessIdentity(reader.GetString(13), reader.GetInt32(14), reader.GetInt64(15), reader.GetInt32(16)),
            });
        }
    }

    /// <inheritdoc />
    public Task RemoveQueuedAsync(string attemptId, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var remove = Command(connection, transaction, "DELETE FROM attempt_queue WHERE attempt_id = $attempt_id");
            remove.Parameters.AddWithValue("$attempt_id", attemptId);
            return remove.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> MarkQueuedLostAsync(string attemptId, string worker, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var lose = Command(connection, transaction,
                "UPDATE attempt_queue SET state = 'lost' WHERE attempt_id = $attempt_id AND worker = $worker AND state = 'claimed'");
            lose.Parameters.AddWithValue("$attempt_id", attemptId);
            lose.Parameters.AddWithValue("$worker", worker);
            return lose.ExecuteNonQuery() > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> CancelQueuedAsync(string attemptId, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using (var withdraw = Command(connection, transaction,
                "UPDATE attempt_queue SET state = 'withdrawn' WHERE attempt_id = $attempt_id AND state = 'queued'"))
            {
                withdraw.Parameters.AddWithValue("$attempt_id", attemptId);
                if (withdraw.ExecuteNonQuery() > 0)
                {
                    return true;
                }
            }

            using var flag = Command(connection, transaction,
                "UPDATE attempt_queue SET cancel_requested = 1 WHERE attempt_id = $attempt_id AND state = 'claimed'");
            flag.Parameters.AddWithValue("$attempt_id", attemptId);
            flag.ExecuteNonQuery();
            return false;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountQueuedAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, int>>((connection, transaction) =>
        {
            using var count = Command(connection, transaction, "SELECT queue, count(*) FROM attempt_queue WHERE state = 'queued' GROUP BY queue");
            using var reader = count.ExecuteReader();
            var depth = new Dictionary<string, int>(StringComparer.Ordinal);
            while (reader.Read())
            {
                depth[reader.GetString(0)] = reader.GetInt32(1);
            }

            return depth;
        }, cancellationToken);

    /// <inheritdoc />
    public Task AppendLogAsync(string attemptId, long offset, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var append = Command(connection, transaction,
                "INSERT INTO attempt_logs (attempt_id, start_byte, bytes) VALUES ($attempt_id, $start, $bytes) ON CONFLICT DO NOTHING");
            append.Parameters.AddWithValue("$attempt_id", attemptId);
            append.Parameters.AddWithValue("$start", offset);
            append.Parameters.AddWithValue("$bytes", bytes.ToArray());
            return append.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<byte[]?> ReadLogAsync(string attemptId, long offset, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var select = Command(connection, transaction,
                "SELECT start_byte, bytes FROM attempt_logs WHERE attempt_id = $attempt_id ORDER BY start_byte");
            select.Parameters.AddWithValue("$attempt_id", attemptId);
            using var reader = select.ExecuteReader();
            return QueueStates.Join(ReadPieces(reader), offset);
        }, cancellationToken);

    private static IEnumerable<(long Start, byte[] Bytes)> ReadPieces(SqliteDataReader reader)
    {
        while (reader.Read())
        {
            yield return (reader.GetInt64(0), (byte[])reader.GetValue(1));
        }
    }
}
