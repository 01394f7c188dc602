using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite.Statements;

/// <summary>The task_attempts table: writes and reads of <see cref="AttemptRecord"/>.</summary>
internal static class AttemptRows
{
    /// <summary>The columns <see cref="StoredRows.Attempt"/> reads, in order.</summary>
    public const string Columns =
        "attempt_id, dag_id, run_id, task_id, try_number, state, owner, start_date, end_date, lease_expires_at, " +
        "exit_code, reason, log_path, host, pid, process_start, process_group";

    private static readonly string[] ParameterNames =
    [
        "$attempt_id", "$dag_id", "$run_id", "$task_id", "$try_number", "$state", "$owner", "$start_date", "$end_date",
        "$lease_expires_at", "$exit_code", "$reason", "$log_path", "$host", "$pid", "$process_start", "$process_group",
    ];

    /// <summary>INSERT of a whole row.</summary>
    public static PreparedStatement Insert(SqliteConnection connection) =>
        new(connection,
            $"INSERT INTO task_attempts ({Columns}) VALUES ({string.Join(", ", ParameterNames)})",
            ParameterNames);

    /// <summary>
    /// UPDATE of every column but the identity (attempt id and task) and the start, by attempt id. The start is
    /// set when the attempt is inserted and is the last column of the (task, start) index, which SQLite would
    /// otherwise rewrite on every end.
    /// </summary>
    public static PreparedStatement Update(SqliteConnection connection) =>
        new(connection,
            "UPDATE task_attempts SET try_number = $try_number, state = $state, owner = $owner, " +
            "end_date = $end_date, lease_expires_at = $lease_expires_at, exit_code = $exit_code, reason = $reason, " +
            "log_path = $log_path WHERE attempt_id = $attempt_id",
            ParameterNames);

    /// <summary>UPDATE of the process identity alone, by attempt id (bound with <see cref="BindProcess"/>).</summary>
    public static PreparedStatement UpdateProcess(SqliteConnection connection) =>
        new(connection,
            "UPDATE task_attempts SET host = $host, pid = $pid, process_start = $process_start, process_group = $process_group " +
            "WHERE attempt_id = $attempt_id",
            "$attempt_id", "$host", "$pid", "$process_start", "$process_group");

    /// <summary>Binds a process identity to a statement made by <see cref="UpdateProcess"/>.</summary>
    public static void BindProcess(PreparedStatement statement, AttemptProcess row)
    {
        statement.Bind(0, row.AttemptId);
        statement.Bind(1, row.Process.Host);
        statement.Bind(2, row.Process.Pid);
        statement.Bind(3, row.Process.ProcessStart);
        statement.Bind(4, row.Process.ProcessGroup);
    }

    /// <summary>Binds a record to a statement made by <see cref="Insert"/> or <see cref="Update"/>.</summary>
    public static void Bind(PreparedStatement statement, AttemptRecord attempt)
    {
        statement.Bind(0, attempt.AttemptId);
        statement.Bind(1, attempt.DagId);
        statement.Bind(2, attempt.RunId);
        statement.Bind(3, attempt.TaskId);
        statement.Bind(4, attempt.TryNumber);
        statement.Bind(5, attempt.State.ToName());
        statement.Bind(6, attempt.Owner);
        statement.Bind(7, attempt.StartDate);
        statement.Bind(8, attempt.EndDate);
        statement.Bind(9, attempt.LeaseExpiresAt);
        statement.Bind(10, attempt.ExitCode);
        statement.Bind(11, attempt.Reason);
        statement.Bind(12, attempt.LogPath);
        statement.Bind(13, attempt.Process?.Host);
        statement.Bind(14, attempt.Process?.Pid);
        statement.Bind(15, attempt.Process?.ProcessStart);
        statement.Bind(16, attempt.Process?.ProcessGroup);
    }
}
