using Weft.Engine.Storage;
using Weft.Storage.Postgres.Statements;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string dagId, string runId, string? taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        ArgumentNullException.ThrowIfNull(runId);

        return OnceAsync<IReadOnlyList<AttemptRecord>>(async connection =>
        {
            await using var select = taskId is null
                ? Command(connection, null,
                    $"SELECT {AttemptRows.Select} FROM task_attempts WHERE dag_id = $1 AND run_id = $2 ORDER BY start_date, try_number, seq", dagId, runId)
                : Command(connection, null,
                    $"SELECT {AttemptRows.Select} FROM task_attempts WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY start_date, try_number, seq",
                    dagId, runId, taskId);
            return await ReadAllAsync(select, StoredRows.Attempt, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
