using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite.Statements;

/// <summary>The task_instances table: whole-row writes and reads of <see cref="TaskInstanceRecord"/>.</summary>
internal static class TaskInstanceRows
{
    /// <summary>The columns <see cref="StoredRows.TaskInstance"/> reads, in order.</summary>
    public const string Columns =
        "dag_id, run_id, task_id, state, try_number, max_tries, exit_code, start_date, end_date, next_retry_at, " +
        "attempt_id, reason, queue, pool, pool_slots, priority, outputs_json, lost_count";

    private static readonly string[] ParameterNames =
    [
        "$dag_id", "$run_id", "$task_id", "$state", "$try_number", "$max_tries", "$exit_code", "$start_date", "$end_date",
        "$next_retry_at", "$attempt_id", "$reason", "$queue", "$pool", "$pool_slots", "$priority", "$outputs_json",
        "$lost_count",
    ];

    private const string SetList =
        "state = $state, try_number = $try_number, max_tries = $max_tries, exit_code = $exit_code, start_date = $start_date, " +
        "end_date = $end_date, next_retry_at = $next_retry_at, attempt_id = $attempt_id, reason = $reason, queue = $queue, " +
        "pool = $pool, pool_slots = $pool_slots, priority = $priority, outputs_json = $outputs_json, lost_count = $lost_count";

    private const string KeyFilter = "dag_id = $dag_id AND run_id = $run_id AND task_id = $task_id";

    /// <summary>INSERT of a whole row.</summary>
    public static PreparedStatement Insert(SqliteConnection connection) =>
        new(connection,
            $"INSERT INTO task_instances ({Columns}) VALUES ({string.Join(", ", ParameterNames)})",
            ParameterNames);

    /// <summary>UPDATE of every non-key column, by the natural key.</summary>
    public static PreparedStatement Update(SqliteConnection connection) =>
        new(connection, $"UPDATE task_instances SET {SetList} WHERE {KeyFilter}", ParameterNames);

    /// <summary>Binds a record to a statement made by <see cref="Insert"/>, or <see cref="Update"/>.</summary>
    public static void Bind(PreparedStatement statement, TaskInstanceRecord row)
    {
        statement.Bind(0, row.DagId);
        statement.Bind(1, row.RunId);
        statement.Bind(2, row.TaskId);
        statement.Bind(3, row.State.ToName());
        statement.Bind(4, row.TryNumber);
        statement.Bind(5, row.MaxTries);
        statement.Bind(6, row.ExitCode);
        statement.Bind(7, row.StartDate);
        statement.Bind(8, row.EndDate);
        statement.Bind(9, row.NextRetryAt);
        statement.Bind(10, row.AttemptId);
        statement.Bind(11, row.Reason);
        statement.Bind(12, row.Queue);
        statement.Bind(13, row.Pool);
        statement.Bind(14, row.PoolSlots);
        statement.Bind(15, row.Priority);
        statement.Bind(16, OutputsToJson(row.Outputs));
        statement.Bind(17, row.LostCount);
    }
}
