using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Engine.Ownership;
using Weft.Engine.Runners;
using Weft.Engine.Storage;
using Weft.Engine.Workers;

namespace Weft.Engine.Execution;

/// <summary>
/// The run owner's side of the attempt queue: the attempts its runs handed to workers, awaited together. One loop per
/// process reads every awaited entry in one query (woken by the store's notifications where it has them, else every
/// <see cref="PollInterval"/>), hands results back, passes stop requests on (an unclaimed attempt is withdrawn, a
/// claimed one is flagged for its worker), and takes back as lost an attempt whose worker's lease ran out: its
/// leftovers on this machine are killed, and the run loop queues it again without using a retry.
/// </summary>
internal sealed class RemoteAttempts : IAsyncDisposable
{
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Waiter> _waiting = new(StringComparer.Ordinal);
    private readonly AsyncSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _loop;

    public RemoteAttempts(IStateStore store, TimeProvider time, ILogger logger, TimeSpan? pollInterval = null)
    {
        _store = store;
        _time = time;
        _logger = logger;
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(50);
        BusyPollInterval = pollInterval is null ? QueuePolling.BusyInterval : PollInterval;
    }

    /// <summary>How often awaited entries are read when no notification comes.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>
    /// How often they are read for a while after a result came, where the store has no notifications (SQLite): a
    /// chain of worker tasks then hands over in milliseconds, and an idle wait still costs a read per
    /// <see cref="PollInterval"/>.
    /// </summary>
    public TimeSpan BusyPollInterval { get; }

    private long _lastResultTicks;

    /// <summary>Attempts taken back from workers whose lease ran out, since start.</summary>
    public long LostCount => Interlocked.Read(ref _lost);

    private long _lost;

    /// <summary>Wakes the loop at once (a notification that a result was written).</summary>
    public void Nudge() => _wake.Set();

    /// <summary>
    /// The attempt's result once its worker writes it; <paramref name="stop"/> asks the worker to stop it (the result
    /// still comes from the worker, or at once when no worker had taken it). <paramref name="detach"/> stops waiting and
    /// leaves the attempt to whoever claims its run next (the task is cancelled).
    /// </summary>
    public Task<TaskResult> WaitAsync(string attemptId, CancellationToken stop, CancellationToken detach)
    {
        var waiter = new Waiter(attemptId);
        // Registered before the loop can see the waiter, so it never finishes one whose registrations are still being added.
        waiter.Registrations.Add(stop.Register(() =>
        {
            waiter.StopRequested = true;
            _wake.Set();
        }));
        waiter.Registrations.Add(detach.Register(() =>
        {
            if (_waiting.TryRemove(new KeyValuePair<string, Waiter>(attemptId, waiter)))
            {
                waiter.Done.TrySetCanceled(detach);
            }
        }));
        _waiting[attemptId] = waiter;
        if (detach.IsCancellationRequested && _waiting.TryRemove(new KeyValuePair<string, Waiter>(attemptId, waiter)))
        {
            waiter.Done.TrySetCanceled(detach);
        }

        EnsureLoop();
        _wake.Set();
        return waiter.Done.Task;
    }

    private void EnsureLoop()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        var backoff = TimeSpan.Zero;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var interval = QueuePolling.Interval(_time, Interlocked.Read(ref _lastResultTicks), PollInterval, BusyPollInterval);
                var wait = _waiting.IsEmpty ? _wake.WaitAsync() : Task.WhenAny(_wake.WaitAsync(), Task.Delay(interval + backoff, _time, token));
                await wait.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await PassAsync(token).ConfigureAwait(false);
                backoff = TimeSpan.Zero;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // A database that does not answer: keep waiting, the workers' results stay in the queue.
                backoff = TimeSpan.FromMilliseconds(Math.Min(2000, Math.Max(100, backoff.TotalMilliseconds * 2)));
                _logger.LogWarning("Reading the attempt queue failed, trying again in {Delay} ms: {Message}", (int)(PollInterval + backoff).TotalMilliseconds, ex.Message);
            }
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        if (_waiting.IsEmpty)
        {
            return;
        }

        foreach (var waiter in _waiting.Values)
        {
            if (waiter.StopRequested && !waiter.StopSent)
            {
                waiter.StopSent = true;
                if (await _store.CancelQueuedAsync(waiter.AttemptId, cancellationToken).ConfigureAwait(false))
                {
                    Finish(waiter, TaskResult.Failed("stopped before a worker took it"));
                }
            }
        }

        var ids = _waiting.Keys.ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var entries = (await _store.GetQueuedAsync(ids, cancellationToken).ConfigureAwait(false)).ToDictionary(e => e.Attempt.AttemptId, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        await WarnOfUnservedQueuesAsync(entries.Values, now, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            if (!_waiting.TryGetValue(id, out var waiter))
            {
                continue;
            }

            if (!entries.TryGetValue(id, out var entry))
            {
                Finish(waiter, TaskResult.Lost("its queue entry is gone"));
                continue;
            }

            switch (entry.State)
            {
                case QueueState.Done:
                    Finish(waiter, RemoteResult.Read(entry.ResultJson ?? "{\"outcome\":\"failed\"}"));
                    break;
                case QueueState.Lost:
                    Finish(waiter, TaskResult.Lost($"its worker {entry.Worker} stopped before it ended") with { MayHaveLeftovers = true });
                    break;
                case QueueState.Withdrawn:
                    Finish(waiter, TaskResult.Failed("stopped before a worker took it"));
                    break;
                case QueueState.Claimed when entry.Worker is { } worker && (entry.WorkerLeaseExpiresAt is not { } until || until <= now):
                    if (await _store.MarkQueuedLostAsync(id, worker, cancellationToken).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref _lost);
                        _logger.LogWarning("Worker {Worker} stopped renewing its lease; attempt {AttemptId} ({TaskId} of run {RunId}) is lost", worker, id, entry.Attempt.TaskId, entry.Attempt.RunId);
                        await KillLeftoversAsync(entry, cancellationToken).ConfigureAwait(false);
                        Finish(waiter, TaskResult.Lost($"its worker {worker} stopped before it ended") with { MayHaveLeftovers = true });
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Says so (at most once a minute per queue) when attempts have waited 10 s in a queue that no live worker serves:
    /// they wait until one starts, which is easy to miss otherwise.
    /// </summary>
    private async Task WarnOfUnservedQueuesAsync(IEnumerable<QueueEntry> entries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var waiting = entries.Where(e => e.State == QueueState.Queued && now - e.Attempt.EnqueuedAt > UnservedAfter)
            .GroupBy(e => e.Attempt.Queue, StringComparer.Ordinal)
            .Where(g => !_warnedAt.TryGetValue(g.Key, out var at) || now - at > WarnEvery)
            .ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        var served = (await _store.ListOwnersAsync(cancellationToken).ConfigureAwait(false))
            .Where(o => o.LeaseExpiresAt > now)
            .SelectMany(o => o.Queues)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var queue in waiting.Where(g => !served.Contains(g.Key)))
        {
            _warnedAt[queue.Key] = now;
            _logger.LogWarning("No live worker serves queue '{Queue}': {Count} attempt(s) wait for one (start 'weft worker --queues {Queue}')", queue.Key, queue.Count(), queue.Key);
        }
    }

    private static readonly TimeSpan UnservedAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, DateTimeOffset> _warnedAt = new(StringComparer.Ordinal);

    /// <summary>What the lost attempt left running on this machine (its worker ran here): killed before it runs again.</summary>
    private Task KillLeftoversAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        var a = entry.Attempt;
        var record = new AttemptRecord(a.AttemptId, a.DagId, a.RunId, a.TaskId, a.TryNumber, Core.Runs.TaskState.Running, entry.Worker,
            a.EnqueuedAt, null, null, null, null, null) { Process = entry.Process };
        return entry.Process is null ? Task.CompletedTask : OrphanReaper.KillAsync(record, _logger, cancellationToken);
    }

    private void Finish(Waiter waiter, TaskResult result)
    {
        if (_waiting.TryRemove(new KeyValuePair<string, Waiter>(waiter.AttemptId, waiter)))
        {
            foreach (var registration in waiter.Registrations)
            {
                registration.Dispose();
            }

            Interlocked.Exchange(ref _lastResultTicks, _time.GetUtcNow().UtcTicks);
            waiter.Done.TrySetResult(result);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private sealed class Waiter(string attemptId)
    {
        public string AttemptId { get; } = attemptId;
        public TaskCompletionSource<TaskResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<CancellationTokenRegistration> Registrations { get; } = [];
        public volatile bool StopRequested;
        public bool StopSent;
    }
}
