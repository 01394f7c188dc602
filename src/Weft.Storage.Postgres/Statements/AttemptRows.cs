using Npgsql;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres.Statements;

/// <summary>The task_attempts table: writes and reads of <see cref="AttemptRecord"/>.</summary>
internal static class AttemptRows
{
    private static readonly Column<AttemptRecord>[] All =
    [
        Columns.Text<AttemptRecord>("attempt_id", a => a.AttemptId),
        Columns.Text<AttemptRecord>("dag_id", a => a.DagId),
        Columns.Text<AttemptRecord>("run_id", a => a.RunId),
        Columns.Text<AttemptRecord>("task_id", a => a.TaskId),
        Columns.Integer<AttemptRecord>("try_number", a => a.TryNumber),
        Columns.Text<AttemptRecord>("state", a => a.State.ToName()),
        Columns.Text<AttemptRecord>("owner", a => a.Owner),
        Columns.Bigint<AttemptRecord>("start_date", a => ToDb(a.StartDate)),
        Columns.Bigint<AttemptRecord>("end_date", a => ToDb(a.EndDate)),
        Columns.Bigint<AttemptRecord>("lease_expires_at", a => ToDb(a.LeaseExpiresAt)),
        Columns.Integer<AttemptRecord>("exit_code", a => a.ExitCode),
        Columns.Text<AttemptRecord>("reason", a => a.Reason),
        Columns.Text<AttemptRecord>("log_path", a => a.LogPath),
        Columns.Text<AttemptRecord>("host", a => a.Process?.Host),
        Columns.Integer<AttemptRecord>("pid", a => a.Process?.Pid),
        Columns.Bigint<AttemptRecord>("process_start", a => a.Process?.ProcessStart),
        Columns.Integer<AttemptRecord>("process_group", a => a.Process?.ProcessGroup),
    ];

    private static readonly Column<AttemptProcess>[] Process =
    [
        Columns.Text<AttemptProcess>("attempt_id", p => p.AttemptId),
        Columns.Text<AttemptProcess>("host", p => p.Process.Host),
        Columns.Integer<AttemptProcess>("pid", p => p.Process.Pid),
        Columns.Bigint<AttemptProcess>("process_start", p => p.Process.ProcessStart),
        Columns.Integer<AttemptProcess>("process_group", p => p.Process.ProcessGroup),
    ];

    /// <summary>The columns <see cref="StoredRows.Attempt"/> reads, in order.</summary>
    public static readonly string Select = Columns.Names(All);

    /// <summary>Inserts whole rows.</summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyList<AttemptRecord> rows) =>
        Columns.Command($"INSERT INTO task_attempts ({Select}) {Columns.Unnest(All)}", All, rows);

    /// <summary>
    /// Records the end of attempts by attempt id: every column but the identity and the process (the start too: a
    /// worker's attempt starts when the worker begins it); an attempt not yet written is inserted whole.
    /// </summary>
    public static NpgsqlBatchCommand Upsert(IReadOnlyList<AttemptRecord> rows) =>
        Columns.Command(
            $"INSERT INTO task_attempts ({Select}) {Columns.Unnest(All)} ON CONFLICT (attempt_id) DO UPDATE SET " +
            "try_number = excluded.try_number, state = excluded.state, owner = excluded.owner, start_date = excluded.start_date, end_date = excluded.end_date, " +
            "lease_expires_at = excluded.lease_expires_at, exit_code = excluded.exit_code, reason = excluded.reason, " +
            "log_path = excluded.log_path",
            All, rows);

    /// <summary>Records the process identity of attempts, by attempt id.</summary>
    public static NpgsqlBatchCommand UpdateProcess(IReadOnlyList<AttemptProcess> rows) =>
        Columns.Command(
            $"UPDATE task_attempts AS a SET host = p.host, pid = p.pid, process_start = p.process_start, process_group = p.process_group " +
            $"FROM ({Columns.Unnest(Process)}) AS p WHERE a.attempt_id = p.attempt_id",
            Process, rows);
}
