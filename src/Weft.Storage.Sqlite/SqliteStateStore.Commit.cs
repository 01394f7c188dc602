using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Group commit (<see cref="GroupCommit"/>): batches committed while another commit is being written wait, and
    /// the next round writes all of them in one transaction (one WAL append instead of one per batch), which is what
    /// keeps many runs starting at once from queueing behind each other's transactions. If a shared transaction
    /// fails, it is rolled back and each batch is written alone, so only the failing batch's caller sees the error.
    /// </remarks>
    public Task CommitAsync(StateBatch batch, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _commits.CommitAsync(batch, cancellationToken);
    }

    /// <summary>Writes batches in one transaction on the writer connection, under the write lock.</summary>
    private async Task WriteInTransactionAsync(IReadOnlyList<StateBatch> batches)
    {
        // Not cancellable: the batches belong to several callers, each checked for its own token before the round.
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _writer ?? throw new InvalidOperationException("The SQLite state store is not initialized; call InitializeAsync first.");
            using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var batch in batches)
            {
                WriteBatch(connection, batch);
            }

            transaction.Commit();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The hot path of a large run. Each statement is prepared once on the writer connection, kept across transactions, and re-bound per row.
    /// Runs, task instances and ended attempts are whole-row updates by key, inserted when the key is missing.
    /// </summary>
    private void WriteBatch(SqliteConnection connection, StateBatch batch)
    {
        if (batch.Claim is { } claim && !ClaimHolds(connection, claim))
        {
            // Nothing of the batch is written: its writer no longer owns the run.
            throw new ClaimLostException(claim);
        }

        if (batch.ExpectedRun is { } expected && !StillAt(connection, expected))
        {
            // Nothing of the batch is written: the run changed since the writer read it.
            throw new RunChangedException(expected.DagId, expected.RunId);
        }

        Upsert(connection, batch.Runs, "run.update", "run.insert", RunRows.Update, RunRows.Insert, RunRows.Bind);
        Upsert(connection, batch.TaskInstances, "task.update", "task.insert", TaskInstanceRows.Update, TaskInstanceRows.Insert, TaskInstanceRows.Bind);

        Insert(connection, batch.AttemptsStarted, "attempt.insert", AttemptRows.Insert, AttemptRows.Bind);
        Upsert(connection, batch.AttemptsEnded, "attempt.update", "attempt.insert", AttemptRows.Update, AttemptRows.Insert, AttemptRows.Bind);
        Insert(connection, batch.Events, "event.insert", EventRows.Insert, EventRows.Bind);
        Insert(connection, batch.AttemptProcesses, "attempt.process", AttemptRows.UpdateProcess, AttemptRows.BindProcess);

        if (batch.AttemptsQueued.Count > 0)
        {
            var enqueue = _statements.Get(connection, "queue.insert", c => new PreparedStatement(c,
                "INSERT INTO attempt_queue (attempt_id, dag_id, run_id, task_id, try_number, queue, state, enqueued_at, run_epoch) " +
                "VALUES ($attempt_id, $dag_id, $run_id, $task_id, $try_number, $queue, 'queued', $enqueued_at, $run_epoch)",
                "$attempt_id", "$dag_id", "$run_id", "$task_id", "$try_number", "$queue", "$enqueued_at", "$run_epoch"));
            foreach (var queued in batch.AttemptsQueued)
            {
                enqueue.Bind(0, queued.AttemptId);
                enqueue.Bind(1, queued.DagId);
                enqueue.Bind(2, queued.RunId);
                enqueue.Bind(3, queued.TaskId);
                enqueue.Bind(4, queued.TryNumber);
                enqueue.Bind(5, queued.Queue);
                enqueue.Bind(6, queued.EnqueuedAt);
                enqueue.Bind(7, queued.RunEpoch);
                enqueue.Execute();
            }
        }

        if (batch.QueueEntriesDone.Count > 0)
        {
            var remove = _statements.Get(connection, "queue.delete", c => new PreparedStatement(c,
                "DELETE FROM attempt_queue WHERE attempt_id = $attempt_id", "$attempt_id"));
            foreach (var attemptId in batch.QueueEntriesDone)
            {
                remove.Bind(0, attemptId);
                remove.Execute();
            }
        }

        if (batch.RunsPreempted.Count > 0)
        {
            var preempt = _statements.Get(connection, "run.preempt", c => new PreparedStatement(c,
                // A running run keeps its owner, so no other process takes it meanwhile: the owner's next write is refused and
                // it claims the run again as it now is. A run sent back to the queue or finished is released.
                "UPDATE dag_runs SET owner = CASE WHEN state = 'running' THEN owner END, claim_epoch = claim_epoch + 1 WHERE dag_id = $dag_id AND run_id = $run_id",
                "$dag_id", "$run_id"));
            foreach (var (dagId, runId) in batch.RunsPreempted)
            {
                preempt.Bind(0, dagId);
                preempt.Bind(1, runId);
                preempt.Execute();
            }
        }

        if (batch.ReleaseClaim && batch.Claim is { } held)
        {
            var release = _statements.Get(connection, "run.release", c => new PreparedStatement(c,
                "UPDATE dag_runs SET owner = NULL WHERE dag_id = $dag_id AND run_id = $run_id AND owner = $owner AND claim_epoch = $epoch",
                "$dag_id", "$run_id", "$owner", "$epoch"));
            BindClaim(release, held);
            release.Execute();
        }
    }

    /// <summary>
    /// True while the claim is the run's current one (checked inside the write transaction, so it cannot change before
    /// the commit); the run's version moves on with the write.
    /// </summary>
    private bool ClaimHolds(SqliteConnection connection, RunClaim claim)
    {
        var hold = _statements.Get(connection, "run.holdClaim", c => new PreparedStatement(c,
            "UPDATE dag_runs SET version = version + 1 WHERE dag_id = $dag_id AND run_id = $run_id AND owner = $owner AND claim_epoch = $epoch",
            "$dag_id", "$run_id", "$owner", "$epoch"));
        BindClaim(hold, claim);
        return hold.Execute() == 1;
    }

    /// <summary>True while the run is at the version the writer read; it moves on with the write.</summary>
    private bool StillAt(SqliteConnection connection, (string DagId, string RunId, long Version) expected)
    {
        var check = _statements.Get(connection, "run.expect", c => new PreparedStatement(c,
            "UPDATE dag_runs SET version = version + 1 WHERE dag_id = $dag_id AND run_id = $run_id AND version = $version",
            "$dag_id", "$run_id", "$version"));
        check.Bind(0, expected.DagId);
        check.Bind(1, expected.RunId);
        check.Bind(2, expected.Version);
        return check.Execute() == 1;
    }

    private static void BindClaim(PreparedStatement statement, RunClaim claim)
    {
        statement.Bind(0, claim.DagId);
        statement.Bind(1, claim.RunId);
        statement.Bind(2, claim.Owner);
        statement.Bind(3, claim.Epoch);
    }

    /// <summary>Writes each row as an insert.</summary>
    private void Insert<T>(SqliteConnection connection, List<T> rows, string insertKey,
        Func<SqliteConnection, PreparedStatement> insert, Action<PreparedStatement, T> bind)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var statement = _statements.Get(connection, insertKey, insert);
        foreach (var row in rows)
        {
            bind(statement, row);
            statement.Execute();
        }
    }

    /// <summary>Writes each row as an update by key, or an insert when no row has the key yet.</summary>
    private void Upsert<T>(SqliteConnection connection, List<T> rows, string updateKey, string insertKey,
        Func<SqliteConnection, PreparedStatement> update, Func<SqliteConnection, PreparedStatement> insert,
        Action<PreparedStatement, T> bind)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var updateStatement = _statements.Get(connection, updateKey, update);
        var insertStatement = _statements.Get(connection, insertKey, insert);
        foreach (var row in rows)
        {
            bind(updateStatement, row);
            if (updateStatement.Execute() == 0)
            {
                bind(insertStatement, row);
                insertStatement.Execute();
            }
        }
    }
}
