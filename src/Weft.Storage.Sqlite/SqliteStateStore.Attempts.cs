using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string dagId, string runId, string? taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        ArgumentNullException.ThrowIfNull(runId);

        return ReadAsync<IReadOnlyList<AttemptRecord>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction,
                $"SELECT {AttemptRows.Columns} FROM task_attempts WHERE dag_id = $dag_id AND run_id = $run_id" +
                (taskId is null ? "" : " AND task_id = $task_id") +
                " ORDER BY start_date, try_number, rowid");
            select.Parameters.AddWithValue("$dag_id", dagId);
            select.Parameters.AddWithValue("$run_id", runId);
            if (taskId is not null)
            {
                select.Parameters.AddWithValue("$task_id", taskId);
            }
            return ReadAttempts(select);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The pick and the updates share one write transaction; SQLite admits one writer at a time across every
    /// process on the file, so no two callers can pick the same row.
    /// </remarks>
    public Task<IReadOnlyList<AttemptRecord>> ClaimQueuedAsync(string owner, IReadOnlyList<string> queues, int limit, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentNullException.ThrowIfNull(queues);
        if (limit <= 0 || queues.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<AttemptRecord>>([]);
        }

        return WriteAsync<IReadOnlyList<AttemptRecord>>((connection, transaction) =>
        {
            var picked = new List<(long Seq, string DagId, string RunId, string TaskId, int TryNumber)>(limit);
            using (var select = Command(connection, transaction, """
                SELECT seq, dag_id, run_id, task_id, try_number
                FROM task_instances
                WHERE state = 'queued' AND queue IN (SELECT value FROM json_each($queues))
                ORDER BY priority DESC, seq
                LIMIT $limit
                """))
            {
                select.Parameters.AddWithValue("$queues", JsonStringList.Write(queues));
                select.Parameters.AddWithValue("$limit", limit);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    picked.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
                }
            }
            if (picked.Count == 0)
            {
                return [];
            }

            // A new try starts: the fields describing the previous try's end are cleared.
            using var start = new PreparedStatement(connection,
                "UPDATE task_instances SET state = 'running', attempt_id = $attempt_id, start_date = $now, end_date = NULL, " +
                "exit_code = NULL, reason = NULL WHERE seq = $seq",
                "$attempt_id", "$now", "$seq");
            using var insert = AttemptRows.Insert(connection);
            var claimed = new List<AttemptRecord>(picked.Count);
            foreach (var row in picked)
            {
                var attempt = new AttemptRecord(
                    Guid.NewGuid().ToString("N"), row.DagId, row.RunId, row.TaskId, row.TryNumber, TaskState.Running,
                    owner, now, EndDate: null, leaseExpiresAt, ExitCode: null, Reason: null, LogPath: null);
                start.Bind(0, attempt.AttemptId);
                start.Bind(1, now);
                start.Bind(2, row.Seq);
                start.Execute();
                AttemptRows.Bind(insert, attempt);
                insert.Execute();
                claimed.Add(attempt);
            }
            return claimed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> HeartbeatAsync(string attemptId, string owner, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptId);
        ArgumentNullException.ThrowIfNull(owner);

        return WriteAsync((connection, transaction) =>
        {
            // Both sides must still agree: the attempt is running for this owner, and its task instance is
            // running this attempt (an operator may have cleared or marked the task meanwhile).
            using var update = Command(connection, transaction, """
                UPDATE task_attempts SET lease_expires_at = $lease
                WHERE attempt_id = $attempt_id AND owner = $owner AND state = 'running'
                  AND EXISTS (
                      SELECT 1 FROM task_instances ti
                      WHERE ti.dag_id = task_attempts.dag_id AND ti.run_id = task_attempts.run_id
                        AND ti.task_id = task_attempts.task_id AND ti.attempt_id = $attempt_id AND ti.state = 'running')
                """);
            update.Parameters.AddWithValue("$lease", ToDb(leaseExpiresAt));
            update.Parameters.AddWithValue("$attempt_id", attemptId);
            update.Parameters.AddWithValue("$owner", owner);
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CompleteAttemptAsync(AttemptCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);

        return WriteAsync((connection, transaction) =>
        {
            // The fence is the task instance row: it is replaced only while it still runs this attempt. When
            // it does not (a lost lease was failed and retried, an operator acted), nothing is written.
            using (var fenced = TaskInstanceRows.FencedUpdate(connection))
            {
                TaskInstanceRows.Bind(fenced, completion.NewInstance);
                fenced.Bind(TaskInstanceRows.FenceParameter, completion.AttemptId);
                if (fenced.Execute() == 0)
                {
                    return false;
                }
            }

            using var end = Command(connection, transaction,
                "UPDATE task_attempts SET state = $state, end_date = $end_date, exit_code = $exit_code, reason = $reason " +
                "WHERE attempt_id = $attempt_id");
            end.Parameters.AddWithValue("$state", completion.AttemptState.ToName());
            end.Parameters.AddWithValue("$end_date", ToDb(completion.EndDate));
            end.Parameters.AddWithValue("$exit_code", ToDb(completion.ExitCode));
            end.Parameters.AddWithValue("$reason", ToDb(completion.Reason));
            end.Parameters.AddWithValue("$attempt_id", completion.AttemptId);
            end.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AttemptRecord>> GetExpiredAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AttemptRecord>>((connection, transaction) =>
        {
            // "state = 'running'" matches the partial index on lease_expires_at word for word, so it is used.
            using var select = Command(connection, transaction,
                $"SELECT {AttemptRows.Columns} FROM task_attempts WHERE state = 'running' AND lease_expires_at < $now ORDER BY lease_expires_at");
            select.Parameters.AddWithValue("$now", ToDb(now));
            return ReadAttempts(select);
        }, cancellationToken);

    private static List<AttemptRecord> ReadAttempts(SqliteCommand select)
    {
        using var reader = select.ExecuteReader();
        var attempts = new List<AttemptRecord>();
        while (reader.Read())
        {
            attempts.Add(AttemptRows.Read(reader));
        }
        return attempts;
    }
}
