using Npgsql;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres.Statements;

/// <summary>The task_instances table: whole-row writes and reads of <see cref="TaskInstanceRecord"/>.</summary>
internal static class TaskInstanceRows
{
    private static readonly Column<TaskInstanceRecord>[] All =
    [
        Columns.Text<TaskInstanceRecord>("dag_id", t => t.DagId),
        Columns.Text<TaskInstanceRecord>("run_id", t => t.RunId),
        Columns.Text<TaskInstanceRecord>("task_id", t => t.TaskId),
        Columns.Text<TaskInstanceRecord>("state", t => t.State.ToName()),
        Columns.Integer<TaskInstanceRecord>("try_number", t => t.TryNumber),
        Columns.Integer<TaskInstanceRecord>("max_tries", t => t.MaxTries),
        Columns.Integer<TaskInstanceRecord>("exit_code", t => t.ExitCode),
        Columns.Bigint<TaskInstanceRecord>("start_date", t => ToDb(t.StartDate)),
        Columns.Bigint<TaskInstanceRecord>("end_date", t => ToDb(t.EndDate)),
        Columns.Bigint<TaskInstanceRecord>("next_retry_at", t => ToDb(t.NextRetryAt)),
        Columns.Text<TaskInstanceRecord>("attempt_id", t => t.AttemptId),
        Columns.Text<TaskInstanceRecord>("reason", t => t.Reason),
        Columns.Text<TaskInstanceRecord>("queue", t => t.Queue),
        Columns.Text<TaskInstanceRecord>("pool", t => t.Pool),
        Columns.Integer<TaskInstanceRecord>("pool_slots", t => t.PoolSlots),
        Columns.Integer<TaskInstanceRecord>("priority", t => t.Priority),
        Columns.Text<TaskInstanceRecord>("outputs_json", t => OutputsToJson(t.Outputs)),
        Columns.Integer<TaskInstanceRecord>("lost_count", t => t.LostCount),
    ];

    /// <summary>The columns <see cref="StoredRows.TaskInstance"/> reads, in order.</summary>
    public static readonly string Select = Columns.Names(All);

    private static readonly string UpdateList = string.Join(", ", All.Skip(3).Select(c => $"{c.Name} = excluded.{c.Name}"));

    /// <summary>Inserts whole rows, in the list's order.</summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyList<TaskInstanceRecord> rows) =>
        Columns.Command($"INSERT INTO task_instances ({Select}) {Columns.Unnest(All)}", All, rows);

    /// <summary>Replaces every non-key column by the natural key, inserting the rows that do not exist yet.</summary>
    /// <remarks>A row may be affected once per statement: the caller passes each key once.</remarks>
    public static NpgsqlBatchCommand Upsert(IReadOnlyList<TaskInstanceRecord> rows) =>
        Columns.Command(
            $"INSERT INTO task_instances ({Select}) {Columns.Unnest(All)} ON CONFLICT ON CONSTRAINT ux_task_instances_task DO UPDATE SET {UpdateList}",
            All, rows);
}
