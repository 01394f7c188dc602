using Npgsql;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Postgres.Statements;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    private const string UniqueViolation = "23505";

    /// <inheritdoc />
    public Task CreateRunAsync(RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(tasks);

        return WriteAsync(async (connection, transaction) =>
        {
            await InsertRunAsync(connection, transaction, run, tasks, owner: null, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Two statements whatever the number of runs: the runs, with <c>ON CONFLICT DO NOTHING</c> (a taken run id or
    /// logical date is skipped without aborting the transaction, also between two runs of the same call), then the
    /// task instances of the runs that were inserted.
    /// </remarks>
    public Task<IReadOnlyList<RunRecord>> CreateRunsAsync(IReadOnlyList<NewRun> runs, string? owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>([]);
        }

        return WriteAsync<IReadOnlyList<RunRecord>>(async (connection, transaction) =>
        {
            var inserted = new HashSet<(string, string)>();
            await using (var insert = new NpgsqlBatch(connection, transaction) { BatchCommands = { RunRows.Insert(runs.Select(r => r.Run).ToList(), owner, skipTaken: true) } })
            await using (var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    inserted.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            // A run whose key came back was inserted by this call; when a call holds two runs with the same key, the first is.
            var created = new List<NewRun>(inserted.Count);
            foreach (var run in runs)
            {
                if (inserted.Remove((run.Run.DagId, run.Run.RunId)))
                {
                    created.Add(run);
                }
            }

            var tasks = created.SelectMany(r => r.Tasks).ToList();
            if (tasks.Count > 0)
            {
                await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { TaskInstanceRows.Insert(tasks) } };
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return created.Select(r => owner is null ? r.Run : r.Run with { Owner = owner }).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListActiveRunsAsync(CancellationToken cancellationToken) =>
        OnceAsync<IReadOnlyList<RunRecord>>(async connection =>
        {
            await using var select = Command(connection, null,
                $"SELECT {RunRows.Select} FROM dag_runs WHERE state IN ('queued', 'running') ORDER BY created_at, seq");
            return await ReadAllAsync(select, StoredRows.Run, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<RunSnapshot?> GetRunAsync(string? dagId, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);

        return SnapshotAsync((connection, transaction) => ReadSnapshotAsync(connection, transaction, dagId, runId, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<PagedResult<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // The filter is assembled from the parts in use (rather than "$1 IS NULL OR ...") so the planner can use the
        // (dag_id, created_at) and (created_at) indexes.
        var conditions = new List<string>(2);
        var values = new List<object?>(4);
        if (query.DagId is not null)
        {
            values.Add(query.DagId);
            conditions.Add($"dag_id = ${values.Count}");
        }
        if (query.State is { } state)
        {
            values.Add(state.ToName());
            conditions.Add($"state = ${values.Count}");
        }
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

        return SnapshotAsync(async (connection, transaction) =>
        {
            int total;
            await using (var count = Command(connection, transaction, $"SELECT COUNT(*) FROM dag_runs{where}", [.. values]))
            {
                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            var paged = new List<object?>(values) { (long)Math.Max(0, query.Limit), (long)Math.Max(0, query.Offset) };
            await using var select = Command(connection, transaction,
                $"SELECT {RunRows.Select} FROM dag_runs{where} ORDER BY created_at DESC, seq DESC LIMIT ${values.Count + 1} OFFSET ${values.Count + 2}",
                [.. paged]);
            var runs = await ReadAllAsync(select, StoredRows.Run, cancellationToken).ConfigureAwait(false);
            return new PagedResult<RunRecord>(runs, total);
        }, cancellationToken);
    }

    /// <summary>Inserts a run (claimed by <paramref name="owner"/> when set) and its task instances in the caller's transaction.</summary>
    private static async Task InsertRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run,
        IReadOnlyList<TaskInstanceRecord> tasks, string? owner, CancellationToken cancellationToken)
    {
        try
        {
            await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { RunRows.Insert([run], owner, skipTaken: false) } };
            if (tasks.Count > 0)
            {
                batch.BatchCommands.Add(TaskInstanceRows.Insert(tasks));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.TableName == "dag_runs")
        {
            throw Duplicate(run, ex);
        }
    }

    /// <summary>A run and its task instances read inside the caller's transaction; by id alone (newest) when <paramref name="dagId"/> is null.</summary>
    private static async Task<RunSnapshot?> ReadSnapshotAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? dagId,
        string runId, CancellationToken cancellationToken)
    {
        RunRecord? run;
        await using (var select = dagId is null
            ? Command(connection, transaction, $"SELECT {RunRows.Select} FROM dag_runs WHERE run_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1", runId)
            : Command(connection, transaction, $"SELECT {RunRows.Select} FROM dag_runs WHERE dag_id = $1 AND run_id = $2", dagId, runId))
        {
            run = (await ReadAllAsync(select, StoredRows.Run, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }

        if (run is null)
        {
            return null;
        }

        await using var tasks = Command(connection, transaction,
            $"SELECT {TaskInstanceRows.Select} FROM task_instances WHERE dag_id = $1 AND run_id = $2 ORDER BY seq", run.DagId, run.RunId);
        return new RunSnapshot(run, await ReadAllAsync(tasks, StoredRows.TaskInstance, cancellationToken).ConfigureAwait(false));
    }

    private static DuplicateRunException Duplicate(RunRecord run, PostgresException ex) =>
        ex.ConstraintName == "ux_dag_runs_logical_date"
            ? new DuplicateRunException(
                $"DAG '{run.DagId}' already has a run for logical date {run.LogicalDate?.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}.")
            : new DuplicateRunException($"DAG '{run.DagId}' already has a run with id '{run.RunId}'.");
}
