using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Logs;
using Weft.Engine.Ownership;
using Weft.Engine.Runners;
using Weft.Engine.Storage;

namespace Weft.Engine.Workers;

/// <summary>
/// <c>weft worker</c>: takes attempts of its queues from the attempt queue under its <see cref="Executor"/>'s lease and
/// runs them with the executor's runners, as the run's owner would have; the run's owner decides everything else. Each
/// attempt is claimed under the lease's owner id, its process is recorded, its log is shipped to the database in pieces
/// (<see cref="LogShipper"/>), and its result is written fenced by the claim: a worker whose lease ran out, or whose
/// attempt was taken back as lost, is refused. When the lease cannot be renewed in time every attempt here is killed
/// (self-fencing); when the worker is stopped, its attempts are killed and reported lost, so they run again elsewhere
/// without using a retry. Before anything runs, what dead workers of this machine left running is killed.
/// </summary>
internal sealed class QueueWorker
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    // How soon a stop asked by the run's owner (timeout, fail-fast, an operator) reaches a running attempt.
    private static readonly TimeSpan CancelCheckInterval = TimeSpan.FromMilliseconds(250);
    private readonly Executor _executor;
    private readonly IReadOnlyList<string> _queues;
    private readonly int _concurrency;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly WorkerRunReads _reads;
    private readonly HashSet<string> _reaped = new(StringComparer.Ordinal);

    private readonly WorkerTmpFolders _tmp;
    private readonly AsyncSignal _wake = new();
    private WorkerReports? _reports;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private DateTimeOffset _lastCancelCheck = DateTimeOffset.MinValue;
    private long _refused;
    private long _completed;

    public QueueWorker(Executor executor, IReadOnlyList<string> queues, int concurrency, TimeProvider time, ILogger logger, TimeSpan? pollInterval = null)
    {
        _executor = executor;
        _reads = new WorkerRunReads(executor.Store);
        _tmp = new WorkerTmpFolders(executor.Options.Home, executor.Store, logger);
        _queues = queues;
        _concurrency = Math.Max(1, concurrency);
        _time = time;
        _logger = logger;
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(50);
        BusyPollInterval = pollInterval is null ? QueuePolling.BusyInterval : PollInterval;
    }

    /// <summary>How often the queue is looked at when no notification wakes the worker.</summary>
    public TimeSpan PollInterval { get; }

    /// <summary>How often for a while after it took or ended an attempt, where the store has no notifications (SQLite).</summary>
    public TimeSpan BusyPollInterval { get; }

    private long _lastActivityTicks;

    /// <summary>Attempts whose result was written.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Results refused because the attempt had been taken back (late completions).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Wakes the worker at once (attempts were queued).</summary>
    public void Nudge() => _wake.Set();

    /// <summary>Takes and runs attempts until cancelled; then kills what runs here and reports it lost.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.Zero;
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var reports = new WorkerReports(_executor.Store, _time, _logger);
        _reports = reports;
        while (!cancellationToken.IsCancellationRequested)
        {
            var claimedAny = false;
            try
            {
                claimedAny = await PassAsync(shutdown.Token).ConfigureAwait(false);
                backoff = TimeSpan.Zero;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && StoreHealth.IsTransient(ex))
            {
                backoff = TimeSpan.FromMilliseconds(Math.Min(2000, Math.Max(100, backoff.TotalMilliseconds * 2)));
                _logger.LogWarning("Reading the attempt queue failed, trying again in {Delay} ms: {Message}", (int)(PollInterval + backoff).TotalMilliseconds, ex.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                // Straight on while there is work and room for it; else until a wake-up, an end, or the next poll.
                if (claimedAny)
                {
                    Interlocked.Exchange(ref _lastActivityTicks, _time.GetUtcNow().UtcTicks);
                }

                if (!(claimedAny && _held.Count < _concurrency))
                {
                    var interval = QueuePolling.Interval(_time, Interlocked.Read(ref _lastActivityTicks), PollInterval, BusyPollInterval);
                    await Task.WhenAny(_wake.WaitAsync(), Task.Delay(interval + backoff, _time, cancellationToken)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Stopped: what runs here is killed and reported lost, so it runs again elsewhere without using a retry.
        foreach (var held in _held.Values)
        {
            held.Shutdown = true;
            held.Stop.Cancel();
        }

        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(15);
        while (!_held.IsEmpty && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>One look at the queue: sweeps now and then, passes stop requests on, claims what there is room for; true when it claimed any.</summary>
    private async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        var store = _executor.Store;
        var lease = _executor.Lease;
        var now = _time.GetUtcNow();
        if (now - _lastSweep >= SweepInterval)
        {
            _lastSweep = now;
            await SweepAsync(cancellationToken).ConfigureAwait(false);
        }

        await _tmp.SweepAsync(now, _held.Select(h => (h.Value.Attempt.DagId, h.Value.Attempt.RunId)), cancellationToken).ConfigureAwait(false);

        if (!_held.IsEmpty && now - _lastCancelCheck >= CancelCheckInterval)
        {
            _lastCancelCheck = now;
            var mine = await store.ListClaimedAsync(lease.OwnerId, cancellationToken).ConfigureAwait(false);
            foreach (var entry in mine.Where(e => e.CancelRequested))
            {
                if (_held.TryGetValue(entry.Attempt.AttemptId, out var held) && !held.Stop.IsCancellationRequested)
                {
                    _logger.LogInformation("Stopping attempt {AttemptId} ({TaskId} of run {RunId}): its run's owner asked", entry.Attempt.AttemptId, entry.Attempt.TaskId, entry.Attempt.RunId);
                    held.Stop.Cancel();
                }
            }
        }

        var free = _concurrency - _held.Count;
        if (free <= 0 || lease.Fenced.IsCancellationRequested
            || _time.GetUtcNow() >= lease.RenewedAt + lease.Options.LeaseDuration - lease.Options.FenceMargin)
        {
            // No room, or a lease about to end (renewals failing, or this process was stopped for a while): take nothing.
            return false;
        }

        var owner = lease.OwnerId;
        var fenced = lease.Fenced;
        var taken = await store.ClaimQueuedAsync(owner, _queues, free, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (taken.Any(a => a.TryNumber > 1))
        {
            // A task tried before may have been lost by a dead worker of this machine: what that left is killed first.
            await SweepAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var attempt in taken)
        {
            var held = new Held(attempt, owner, CancellationTokenSource.CreateLinkedTokenSource(fenced));
            _held[attempt.AttemptId] = held;
            _ = Task.Run(() => RunOneAsync(held), CancellationToken.None);
        }

        return taken.Count > 0;
    }

    /// <summary>
    /// Ends the lease of dead owners of this machine (so their runs and attempts are taken up at once), and kills what
    /// attempts lost by dead workers left running here; their queue entries then go.
    /// </summary>
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        await _executor.ExpireDeadLocalOwnersAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var me = _executor.Lease.OwnerId;
        foreach (var entry in await _executor.Store.ListClaimedAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var gone = entry.State == QueueState.Lost
                || entry.Worker != me && (entry.WorkerLeaseExpiresAt is not { } until || until <= now);
            if (!gone || entry.Worker == me && entry.State != QueueState.Lost)
            {
                continue;
            }

            if (entry.Process is { } process && process.Host == LocalProcesses.Host)
            {
                if (_reaped.Add(entry.Attempt.AttemptId))
                {
                    var a = entry.Attempt;
                    await OrphanReaper.KillAsync(
                        new AttemptRecord(a.AttemptId, a.DagId, a.RunId, a.TaskId, a.TryNumber, TaskState.Running, entry.Worker, a.EnqueuedAt, null, null, null, null, null) { Process = process },
                        _logger, cancellationToken).ConfigureAwait(false);
                }

                if (entry.State == QueueState.Lost)
                {
                    await _executor.Store.RemoveQueuedAsync(entry.Attempt.AttemptId, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (entry.State == QueueState.Lost && entry.Process is null)
            {
                // It never started a process: nothing to kill anywhere.
                await _executor.Store.RemoveQueuedAsync(entry.Attempt.AttemptId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunOneAsync(Held held)
    {
        var attempt = held.Attempt;
        var started = _time.GetUtcNow();
        TaskResult result;
        try
        {
            result = await ExecuteAsync(held).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = TaskResult.Failed(ex.Message);
        }

        result = result with { RanAt = (started, _time.GetUtcNow()) };

        if (held.Shutdown)
        {
            result = TaskResult.Lost("its worker was stopped") with { CountsAsLost = false };
        }

        try
        {
            await CompleteAsync(held, result).ConfigureAwait(false);
        }
        finally
        {
            _held.TryRemove(attempt.AttemptId, out _);
            held.Stop.Dispose();
            Interlocked.Exchange(ref _lastActivityTicks, _time.GetUtcNow().UtcTicks);
            _wake.Set();
        }
    }

    /// <summary>Writes the result, fenced by the claim, with other results of this worker (<see cref="WorkerReports"/>).</summary>
    private async Task CompleteAsync(Held held, TaskResult result)
    {
        try
        {
            if (await _reports!.ResultAsync(held.Owner, held.Attempt.AttemptId, RemoteResult.Write(result)).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _completed);
            }
            else
            {
                Interlocked.Increment(ref _refused);
                _logger.LogWarning("The result of attempt {AttemptId} ({TaskId} of run {RunId}) was refused: it was taken back from this worker", held.Attempt.AttemptId, held.Attempt.TaskId, held.Attempt.RunId);
            }
        }
        catch (Exception ex)
        {
            // Its run's owner takes it back as lost when this worker's lease ends, or finds the result in a later write.
            _logger.LogError("The result of attempt {AttemptId} ({TaskId} of run {RunId}) could not be written: {Message}", held.Attempt.AttemptId, held.Attempt.TaskId, held.Attempt.RunId, ex.Message);
        }
    }

    private async Task<TaskResult> ExecuteAsync(Held held)
    {
        var attempt = held.Attempt;
        var store = _executor.Store;
        var token = held.Stop.Token;
        var cached = await _reads.ReadAsync(attempt, token).ConfigureAwait(false);
        if (cached is null)
        {
            return TaskResult.Failed($"run '{attempt.RunId}' of DAG '{attempt.DagId}' is gone");
        }

        var snapshot = cached.Snapshot;
        if (cached.Dag is null)
        {
            return TaskResult.Failed($"this worker cannot load DAG '{attempt.DagId}'");
        }

        var dag = cached.Dag;
        var task = cached.Task(attempt.TaskId);
        if (task is null)
        {
            return TaskResult.Failed($"this worker cannot load task '{attempt.TaskId}' of DAG '{attempt.DagId}'");
        }

        await _executor.LoadSecretsAsync(token).ConfigureAwait(false);
        var options = _executor.Options;
        var masker = options.Masker();
        var logPath = TaskLogPaths.For(options.Home, attempt.DagId, attempt.RunId, attempt.TaskId, attempt.TryNumber);
        var file = new FileTaskLog(logPath, null, _ => held.Stop.Cancel());
        var tmp = _tmp.For(attempt.DagId, attempt.RunId, make: task.Type is TaskType.Shell or TaskType.Script or TaskType.Python);

        var context = new TaskExecutionContext
        {
            Dag = dag,
            Task = task,
            RunId = attempt.RunId,
            Attempt = attempt.TryNumber,
            AttemptId = attempt.AttemptId,
            ProcessStarted = identity => _reports!.Process(held.Owner, attempt.AttemptId, identity),
            LogicalDate = snapshot.Run.LogicalDate,
            DataIntervalStart = snapshot.Run.DataIntervalStart,
            DataIntervalEnd = snapshot.Run.DataIntervalEnd,
            Params = cached.Params ??= RunFactory.EffectiveParams(dag, RunFactory.ParseConf(snapshot.Run.ConfJson)),
            Outputs = cached.Outputs,
            States = cached.States,
            Secrets = options.Secrets,
            TmpDir = tmp,
            TasksDir = options.TasksDir,
            Log = MaskingTaskLog.Wrap(file, masker),
        };

        await using var shipper = new LogShipper(store, attempt.AttemptId, logPath, _logger);
        TaskResult result;
        try
        {
            result = await _executor.Runners.RunAsync(context, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            context.Log.WriteLine("weft", ex.ToString());
            result = TaskResult.Failed(ex.Message);
        }
        finally
        {
            (context.Log as IDisposable)?.Dispose();
        }

        if (file.Failure is { } logFailure)
        {
            result = TaskResult.Failed(logFailure);
        }

        // The whole log is in the database before the result is: whoever reads the result can read all of it.
        await shipper.FinishAsync().ConfigureAwait(false);
        return result.Masked(masker);
    }

    private sealed class Held(QueuedAttempt attempt, string owner, CancellationTokenSource stop)
    {
        public QueuedAttempt Attempt { get; } = attempt;

        /// <summary>The owner id the attempt was claimed under: its result is written under it, or refused.</summary>
        public string Owner { get; } = owner;

        public CancellationTokenSource Stop { get; } = stop;

        public volatile bool Shutdown;
    }
}
