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
        if (batch.Runs.Count > 0)
        {
            var update = _statements.Get(connection, "run.update", RunRows.Update);
            var insert = _statements.Get(connection, "run.insert", RunRows.Insert);
            foreach (var run in batch.Runs)
            {
                RunRows.Bind(update, run);
                if (update.Execute() == 0)
                {
                    RunRows.Bind(insert, run);
                    insert.Execute();
                }
            }
        }

        if (batch.TaskInstances.Count > 0)
        {
            var update = _statements.Get(connection, "task.update", TaskInstanceRows.Update);
            var insert = _statements.Get(connection, "task.insert", TaskInstanceRows.Insert);
            var rows = batch.TaskInstances;
            for (var i = 0; i < rows.Count; i++)
            {
                TaskInstanceRows.Bind(update, rows[i]);
                if (update.Execute() == 0)
                {
                    TaskInstanceRows.Bind(insert, rows[i]);
                    insert.Execute();
                }
            }
        }

        if (batch.AttemptsStarted.Count > 0)
        {
            var insert = _statements.Get(connection, "attempt.insert", AttemptRows.Insert);
            foreach (var attempt in batch.AttemptsStarted)
            {
                AttemptRows.Bind(insert, attempt);
                insert.Execute();
            }
        }

        if (batch.AttemptsEnded.Count > 0)
        {
            var update = _statements.Get(connection, "attempt.update", AttemptRows.Update);
            var insert = _statements.Get(connection, "attempt.insert", AttemptRows.Insert);
            foreach (var attempt in batch.AttemptsEnded)
            {
                AttemptRows.Bind(update, attempt);
                if (update.Execute() == 0)
                {
                    AttemptRows.Bind(insert, attempt);
                    insert.Execute();
                }
            }
        }

        if (batch.Events.Count > 0)
        {
            var insert = _statements.Get(connection, "event.insert", EventRows.Insert);
            foreach (var e in batch.Events)
            {
                EventRows.Bind(insert, e);
                insert.Execute();
            }
        }
    }
}
