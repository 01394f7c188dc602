using Npgsql;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres.Statements;

/// <summary>The dag_runs table: whole-row writes and reads of <see cref="RunRecord"/>.</summary>
internal static class RunRows
{
    /// <summary>The columns a run is written with.</summary>
    private static readonly Column<RunRecord>[] Written =
    [
        Columns.Text<RunRecord>("dag_id", r => r.DagId),
        Columns.Text<RunRecord>("run_id", r => r.RunId),
        Columns.Text<RunRecord>("state", r => r.State.ToName()),
        Columns.Text<RunRecord>("run_type", r => r.RunType),
        Columns.Bigint<RunRecord>("logical_date", r => ToDb(r.LogicalDate)),
        Columns.Bigint<RunRecord>("data_interval_start", r => ToDb(r.DataIntervalStart)),
        Columns.Bigint<RunRecord>("data_interval_end", r => ToDb(r.DataIntervalEnd)),
        Columns.Bigint<RunRecord>("start_date", r => ToDb(r.StartDate)),
        Columns.Bigint<RunRecord>("end_date", r => ToDb(r.EndDate)),
        Columns.Text<RunRecord>("conf_json", r => r.ConfJson),
        Columns.Text<RunRecord>("dag_file", r => r.DagFile),
        Columns.Bigint<RunRecord>("created_at", r => ToDb(r.CreatedAt)),
        Columns.Text<RunRecord>("dag_hash", r => r.DagHash),
        Columns.Text<RunRecord>("dag_version", r => r.DagVersion),
    ];

    /// <summary>The columns <see cref="StoredRows.Run"/> reads, in order: the written ones, the claim's owner and epoch, the version.</summary>
    public static readonly string Select = Columns.Names(Written) + ", owner, claim_epoch, version";

    /// <summary>
    /// Inserts runs claimed by the parameter after the columns' arrays (epoch 1, or none when it is null). With <paramref name="skipTaken"/>, a run
    /// whose id or logical date is taken is skipped; only uniqueness conflicts are, and the inserted keys are returned.
    /// </summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyList<RunRecord> runs, string? owner, bool skipTaken)
    {
        var names = Columns.Names(Written);
        var owned = $"${Written.Length + 1}::text";
        var command = Columns.Command(
            $"INSERT INTO dag_runs ({names}, owner, claim_epoch) SELECT {names}, {owned}, CASE WHEN {owned} IS NULL THEN 0 ELSE 1 END " +
            $"FROM ({Columns.Unnest(Written)}) AS rows" +
            (skipTaken ? " ON CONFLICT DO NOTHING RETURNING dag_id, run_id" : ""),
            Written, runs);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)owner ?? DBNull.Value });
        return command;
    }

    /// <summary>
    /// Updates the columns a run's life changes (state, start, end, conf, DAG file) by (dag_id, run_id); what the run
    /// was created as stays. A run that does not exist is inserted whole.
    /// </summary>
    public static NpgsqlBatchCommand Upsert(IReadOnlyList<RunRecord> runs) =>
        Columns.Command(
            $"INSERT INTO dag_runs ({Columns.Names(Written)}) {Columns.Unnest(Written)} " +
            "ON CONFLICT ON CONSTRAINT ux_dag_runs_run DO UPDATE SET state = excluded.state, start_date = excluded.start_date, " +
            "end_date = excluded.end_date, conf_json = excluded.conf_json, dag_file = excluded.dag_file",
            Written, runs);
}
