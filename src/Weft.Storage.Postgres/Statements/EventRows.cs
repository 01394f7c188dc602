using Npgsql;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres.Statements;

/// <summary>The events table: appends and reads of <see cref="EventRecord"/>; the id is assigned by PostgreSQL.</summary>
internal static class EventRows
{
    private static readonly Column<EventRecord>[] Written =
    [
        Columns.Bigint<EventRecord>("occurred_at", e => ToDb(e.When)),
        Columns.Text<EventRecord>("kind", e => e.Kind),
        Columns.Text<EventRecord>("dag_id", e => e.DagId),
        Columns.Text<EventRecord>("run_id", e => e.RunId),
        Columns.Text<EventRecord>("task_id", e => e.TaskId),
        Columns.Text<EventRecord>("message", e => e.Message),
    ];

    /// <summary>The columns <see cref="StoredRows.Event"/> reads, in order.</summary>
    public const string Select = "id, occurred_at, kind, dag_id, run_id, task_id, message";

    /// <summary>Appends events, their ids growing in the list's order.</summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyList<EventRecord> rows) =>
        Columns.Command($"INSERT INTO events ({Columns.Names(Written)}) {Columns.Unnest(Written)}", Written, rows);
}
