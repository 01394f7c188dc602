namespace Weft.Engine.Storage;

/// <summary>
/// A store's group commit: batches committed while rounds are being written wait, and the next round writes all of
/// them in one transaction, so many runs starting at once cost a few transactions, not one each. The first caller to
/// find a round free leads it; later rounds run on the thread pool. When a round fails in a way
/// <c>retryAlone</c> accepts (the database refused it: a stale claim, say), each of its batches is written again
/// alone, so only the failing batch's caller sees the error; any other failure (the connection) fails them all at once.
/// </summary>
/// <param name="write">Writes batches in one transaction, in their order; nothing of them when it throws.</param>
/// <param name="maxRounds">Rounds written side by side (1 for a store with one writer).</param>
/// <param name="maxGroup">Batches in one round at most.</param>
/// <param name="retryAlone">Whether a failed round is written again batch by batch.</param>
public sealed class GroupCommit(Func<IReadOnlyList<StateBatch>, Task> write, int maxRounds, int maxGroup, Func<Exception, bool> retryAlone)
{
    private readonly Lock _gate = new();
    private List<PendingCommit> _queue = [];
    private int _rounds;

    /// <summary>Writes the batch with whatever else is committed meanwhile; completes once it is written.</summary>
    public Task CommitAsync(StateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return Task.CompletedTask;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var pending = new PendingCommit(batch, cancellationToken);
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = _rounds < maxRounds;
            if (lead)
            {
                _rounds++;
            }
        }

        return lead ? LeadAsync(pending) : pending.Task;
    }

    private async Task LeadAsync(PendingCommit own)
    {
        await RoundAsync().ConfigureAwait(false);
        await own.Task.ConfigureAwait(false);
    }

    /// <summary>Writes what is queued; hands a further round to the thread pool when more was queued meanwhile.</summary>
    private async Task RoundAsync()
    {
        List<PendingCommit> group;
        lock (_gate)
        {
            if (_queue.Count <= maxGroup)
            {
                group = _queue;
                _queue = [];
            }
            else
            {
                group = _queue.GetRange(0, maxGroup);
                _queue.RemoveRange(0, maxGroup);
            }
        }

        await WriteGroupAsync(group).ConfigureAwait(false);
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _rounds--;
                return;
            }
        }

        // The leader's own batch is written: its caller goes on, and the next round runs elsewhere.
        _ = Task.Run(RoundAsync);
    }

    private async Task WriteGroupAsync(List<PendingCommit> group)
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
            await write(live.ConvertAll(p => p.Batch)).ConfigureAwait(false);
        }
        catch (Exception ex) when (live.Count > 1 && retryAlone(ex))
        {
            foreach (var pending in live)
            {
                try
                {
                    await write([pending.Batch]).ConfigureAwait(false);
                    pending.Complete();
                }
                catch (Exception alone)
                {
                    pending.Fail(alone);
                }
            }

            return;
        }
        catch (Exception ex)
        {
            live.ForEach(p => p.Fail(ex));
            return;
        }

        live.ForEach(p => p.Complete());
    }
}
