using Weft.Engine.Storage;

namespace Weft.Storage.Sqlite;

/// <summary>The group-commit rounds behind <see cref="CommitAsync"/>.</summary>
public sealed partial class SqliteStateStore
{
    private async Task LeadAsync(PendingCommit own)
    {
        await CommitRoundAsync().ConfigureAwait(false);
        await own.Task.ConfigureAwait(false);
    }

    /// <summary>Writes every queued batch; hands a further round to the thread pool when more were queued meanwhile.</summary>
    private async Task CommitRoundAsync()
    {
        List<PendingCommit> group;
        try
        {
            // Not cancellable: the queued batches belong to several callers, each checked for its own token below.
            await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException ex)
        {
            lock (_commitGate)
            {
                group = _commitQueue;
                _commitQueue = [];
                _committing = false;
            }

            group.ForEach(p => p.Fail(ex));
            return;
        }

        try
        {
            lock (_commitGate)
            {
                group = _commitQueue;
                _commitQueue = [];
            }

            WriteGroup(group);
        }
        finally
        {
            _writeLock.Release();
        }

        lock (_commitGate)
        {
            if (_commitQueue.Count == 0)
            {
                _committing = false;
                return;
            }
        }

        // The leader's own batch is written: its caller goes on, and the next round runs elsewhere.
        _ = Task.Run(CommitRoundAsync);
    }

    private void WriteGroup(List<PendingCommit> group)
    {
        var live = new List<PendingCommit>(group.Count);
        foreach (var pending in group)
        {
            if (pending.CancellationToken.IsCancellationRequested)
            {
                pending.Cancel();
            }
            else
            {
                live.Add(pending);
            }
        }

        if (live.Count == 0)
        {
            return;
        }

        try
        {
            WriteInTransaction(live);
        }
        catch (Exception) when (live.Count > 1)
        {
            // The shared transaction rolled back: write each batch alone so one bad batch fails only its caller.
            foreach (var pending in live)
            {
                try
                {
                    WriteInTransaction([pending]);
                    pending.Complete();
                }
                catch (Exception ex)
                {
                    pending.Fail(ex);
                }
            }

            return;
        }
        catch (Exception ex)
        {
            live[0].Fail(ex);
            return;
        }

        foreach (var pending in live)
        {
            pending.Complete();
        }
    }

    private void WriteInTransaction(List<PendingCommit> batches)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = _writer ?? throw new InvalidOperationException("The SQLite state store is not initialized; call InitializeAsync first.");
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var pending in batches)
        {
            WriteBatch(connection, pending.Batch);
        }

        transaction.Commit();
    }
}
