using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    private const int SqliteConstraint = 19;

    /// <inheritdoc />
    public Task CreateRunAsync(RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(tasks);

        return WriteAsync((connection, transaction) =>
        {
            InsertRun(connection, run, tasks, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>ON CONFLICT DO NOTHING</c> skips a taken run id or logical date without aborting the transaction; the
    /// task instances of a skipped run are not written (they belong to the run that exists).
    /// </remarks>
    public Task<IReadOnlyList<RunRecord>> CreateRunsAsync(IReadOnlyList<NewRun> runs, string? owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>([]);
        }

        return WriteAsync<IReadOnlyList<RunRecord>>((connection, transaction) =>
        {
            var insertRun = _statements.Get(connection, "run.insertIfAbsent", RunRows.InsertIfAbsent);
            var insertTask = _statements.Get(connection, "task.insert", TaskInstanceRows.Insert);
            var created = new List<RunRecord>(runs.Count);
            foreach (var (run, tasks) in runs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunRows.Bind(insertRun, run);
                if (insertRun.Execute() == 0)
                {
                    continue;
                }

                foreach (var task in tasks)
                {
                    TaskInstanceRows.Bind(insertTask, task);
                    insertTask.Execute();
                }

                if (owner is not null)
                {
                    var claim = _statements.Get(connection, "run.claimNew", c => new PreparedStatement(c,
                        "UPDATE dag_runs SET owner = $owner, claim_epoch = 1 WHERE dag_id = $dag_id AND run_id = $run_id",
                        "$dag_id", "$run_id", "$owner"));
                    claim.Bind(0, run.DagId);
                    claim.Bind(1, run.RunId);
                    claim.Bind(2, owner);
                    claim.Execute();
                }

                created.Add(owner is null ? run : run with { Owner = owner });
            }
            return created;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListActiveRunsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RunRecord>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction,
                $"SELECT {RunRows.Columns} FROM dag_runs WHERE state IN ('queued', 'running') ORDER BY created_at, rowid");
            using var reader = select.ExecuteReader();
            var runs = new List<RunRecord>();
            while (reader.Read())
            {
                runs.Add(StoredRows.Run(reader));
            }
            return runs;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<RunSnapshot?> GetRunAsync(string? dagId, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);

        return ReadAsync<RunSnapshot?>((connection, transaction) =>
        {
            return ReadSnapshot(connection, transaction, dagId, runId);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PagedResult<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // The filter is assembled from the parts in use (rather than "$x IS NULL OR ...") so SQLite can use the
        // (dag_id, created_at) and (created_at) indexes.
        var conditions = new List<string>(2);
        if (query.DagId is not null)
        {
            conditions.Add("dag_id = $dag_id");
        }
        if (query.State is not null)
        {
            conditions.Add("state = $state");
        }
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

        return ReadAsync((connection, transaction) =>
            ReadPage(connection, transaction, RunRows.Columns, $"dag_runs{where}", "created_at DESC, rowid DESC", query.Limit, query.Offset,
                command => AddFilter(command, query), StoredRows.Run), cancellationToken);

        static void AddFilter(SqliteCommand command, RunQuery query)
        {
            if (query.DagId is not null)
            {
                command.Parameters.AddWithValue("$dag_id", query.DagId);
            }
            if (query.State is { } state)
            {
                command.Parameters.AddWithValue("$state", state.ToName());
            }
        }
    }

    /// <summary>Inserts a run and its task instances inside the caller's write transaction.</summary>
    private static void InsertRun(SqliteConnection connection, RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, CancellationToken cancellationToken)
    {
        using (var insertRun = RunRows.Insert(connection))
        {
            RunRows.Bind(insertRun, run);
            try
            {
                insertRun.Execute();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                throw Duplicate(run, ex);
            }
        }

        using var insertTask = TaskInstanceRows.Insert(connection);
        for (var i = 0; i < tasks.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            TaskInstanceRows.Bind(insertTask, tasks[i]);
            insertTask.Execute();
        }
    }

    /// <summary>A run and its task instances read inside the caller's transaction; by id alone (newest) when <paramref name="dagId"/> is null.</summary>
    private static RunSnapshot? ReadSnapshot(SqliteConnection connection, SqliteTransaction transaction, string? dagId, string runId)
    {
        RunRecord? run;
        using (var select = Command(connection, transaction, dagId is null
            ? $"SELECT {RunRows.Columns} FROM dag_runs WHERE run_id = $run_id ORDER BY created_at DESC, rowid DESC LIMIT 1"
            : $"SELECT {RunRows.Columns} FROM dag_runs WHERE dag_id = $dag_id AND run_id = $run_id"))
        {
            select.Parameters.AddWithValue("$run_id", runId);
            if (dagId is not null)
            {
                select.Parameters.AddWithValue("$dag_id", dagId);
            }
            using var reader = select.ExecuteReader();
            run = reader.Read() ? StoredRows.Run(reader) : null;
        }
        if (run is null)
        {
            return null;
        }

        var tasks = new List<TaskInstanceRecord>();
        using (var select = Command(connection, transaction,
            $"SELECT {TaskInstanceRows.Columns} FROM task_instances WHERE dag_id = $dag_id AND run_id = $run_id ORDER BY seq"))
        {
            select.Parameters.AddWithValue("$dag_id", run.DagId);
            select.Parameters.AddWithValue("$run_id", run.RunId);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                tasks.Add(StoredRows.TaskInstance(reader));
            }
        }
        return new RunSnapshot(run, tasks);
    }

    private static DuplicateRunException Duplicate(RunRecord run, SqliteException ex) =>
        ex.Message.Contains("logical_date", StringComparison.Ordinal)
            ? new DuplicateRunException(
                $"DAG '{run.DagId}' already has a run for logical date {run.LogicalDate?.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}.")
            : new DuplicateRunException($"DAG '{run.DagId}' already has a run with id '{run.RunId}'.");
}
