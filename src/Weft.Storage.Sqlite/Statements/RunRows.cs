using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite.Statements;

/// <summary>The dag_runs table: whole-row writes and reads of <see cref="RunRecord"/>.</summary>
internal static class RunRows
{
    /// <summary>The columns written by <see cref="Insert"/>, in order.</summary>
    private const string WriteColumns =
        "dag_id, run_id, state, run_type, logical_date, data_interval_start, data_interval_end, start_date, end_date, " +
        "conf_json, dag_file, created_at, dag_hash, dag_version";

    /// <summary>The columns <see cref="StoredRows.Run"/> reads, in order: the written ones, the claim's owner and epoch, the version.</summary>
    public const string Columns = WriteColumns + ", owner, claim_epoch, version";

    private static readonly string[] ParameterNames =
    [
        "$dag_id", "$run_id", "$state", "$run_type", "$logical_date", "$data_interval_start", "$data_interval_end",
        "$start_date", "$end_date", "$conf_json", "$dag_file", "$created_at", "$dag_hash", "$dag_version",
    ];

    /// <summary>INSERT of a whole row.</summary>
    public static PreparedStatement Insert(SqliteConnection connection) =>
        new(connection,
            $"INSERT INTO dag_runs ({WriteColumns}) VALUES ({string.Join(", ", ParameterNames)})",
            ParameterNames);

    /// <summary>
    /// INSERT of a whole row that does nothing when the run id or the DAG's logical date is taken (0 rows changed).
    /// Only uniqueness conflicts are skipped; any other constraint still fails the statement.
    /// </summary>
    public static PreparedStatement InsertIfAbsent(SqliteConnection connection) =>
        new(connection,
            $"INSERT INTO dag_runs ({WriteColumns}) VALUES ({string.Join(", ", ParameterNames)}) ON CONFLICT DO NOTHING",
            ParameterNames);

    /// <summary>
    /// UPDATE of the columns a run's life changes, by (dag_id, run_id). What the run was created as (type,
    /// logical date, data interval, creation time) is left alone: those columns are indexed, and SQLite rewrites
    /// the entries of every index whose column is assigned, changed or not.
    /// </summary>
    public static PreparedStatement Update(SqliteConnection connection) =>
        new(connection,
            "UPDATE dag_runs SET state = $state, start_date = $start_date, end_date = $end_date, conf_json = $conf_json, " +
            "dag_file = $dag_file WHERE dag_id = $dag_id AND run_id = $run_id",
            ParameterNames);

    /// <summary>Binds a record to a statement made by <see cref="Insert"/> or <see cref="Update"/>.</summary>
    public static void Bind(PreparedStatement statement, RunRecord run)
    {
        statement.Bind(0, run.DagId);
        statement.Bind(1, run.RunId);
        statement.Bind(2, run.State.ToName());
        statement.Bind(3, run.RunType);
        statement.Bind(4, run.LogicalDate);
        statement.Bind(5, run.DataIntervalStart);
        statement.Bind(6, run.DataIntervalEnd);
        statement.Bind(7, run.StartDate);
        statement.Bind(8, run.EndDate);
        statement.Bind(9, run.ConfJson);
        statement.Bind(10, run.DagFile);
        statement.Bind(11, run.CreatedAt);
        statement.Bind(12, run.DagHash);
        statement.Bind(13, run.DagVersion);
    }
}
