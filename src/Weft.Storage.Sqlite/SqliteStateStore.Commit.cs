using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Group commit: batches committed while another commit is being written wait in a queue, and the next
    /// round writes all of them in one transaction (one WAL append instead of one per batch), which is what
    /// keeps many runs starting at once from queueing behind each other's transactions. The first caller to
    /// find no round under way leads it; later rounds run on the thread pool. If a shared transaction fails,
    /// it is rolled back and each batch is written alone, so only the failing batch's caller sees the error.
    /// </remarks>
    public Task CommitAsync(StateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return Task.CompletedTask;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var pending = new PendingCommit(batch, cancellationToken);
        bool lead;
        lock (_commitGate)
        {
            _commitQueue.Add(pending);
            lead = !_committing;
            _committing = true;
        }

        return lead ? LeadAsync(pending) : pending.Task;
    }

    /// <summary>
    /// The hot path of a large run. Each statement is prepared once on the writer connection, kept across transactions, and re-bound per row.
    /// Runs, task instances and ended attempts are whole-row updates by key, inserted when the key is missing.
    /// </summary>
    private void WriteBatch(SqliteConnection connection, StateBatch batch)
    {
        Upsert(connection, batch.Runs, "run.update", "run.insert", RunRows.Update, RunRows.Insert, RunRows.Bind);
        Upsert(connection, batch.TaskInstances, "task.update", "task.insert", TaskInstanceRows.Update, TaskInstanceRows.Insert, TaskInstanceRows.Bind);

        Insert(connection, batch.AttemptsStarted, "attempt.insert", AttemptRows.Insert, AttemptRows.Bind);
        Upsert(connection, batch.AttemptsEnded, "attempt.update", "attempt.insert", AttemptRows.Update, AttemptRows.Insert, AttemptRows.Bind);
        Insert(connection, batch.Events, "event.insert", EventRows.Insert, EventRows.Bind);
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
