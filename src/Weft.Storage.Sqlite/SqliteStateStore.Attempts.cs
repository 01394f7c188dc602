using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;
using static Weft.Engine.Storage.StoredValues;
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

    private static List<AttemptRecord> ReadAttempts(SqliteCommand select)
    {
        using var reader = select.ExecuteReader();
        var attempts = new List<AttemptRecord>();
        while (reader.Read())
        {
            attempts.Add(StoredRows.Attempt(reader));
        }
        return attempts;
    }
}
