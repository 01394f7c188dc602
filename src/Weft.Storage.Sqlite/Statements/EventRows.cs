using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite.Statements;

/// <summary>The events table: appends and reads of <see cref="EventRecord"/>; the id is assigned by SQLite.</summary>
internal static class EventRows
{
    /// <summary>The columns <see cref="StoredRows.Event"/> reads, in order.</summary>
    public const string Columns = "id, occurred_at, kind, dag_id, run_id, task_id, message";

    /// <summary>INSERT of an event, without its id.</summary>
    public static PreparedStatement Insert(SqliteConnection connection) =>
        new(connection,
            "INSERT INTO events (occurred_at, kind, dag_id, run_id, task_id, message) VALUES ($at, $kind, $dag_id, $run_id, $task_id, $message)",
            "$at", "$kind", "$dag_id", "$run_id", "$task_id", "$message");

    /// <summary>Binds an event to a statement made by <see cref="Insert"/>.</summary>
    public static void Bind(PreparedStatement statement, EventRecord e)
    {
        statement.Bind(0, e.When);
        statement.Bind(1, e.Kind);
        statement.Bind(2, e.DagId);
        statement.Bind(3, e.RunId);
        statement.Bind(4, e.TaskId);
        statement.Bind(5, e.Message);
    }
}
