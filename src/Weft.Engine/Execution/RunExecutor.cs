using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Ownership;
using Weft.Engine.Runners;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>
/// Runs one claimed DAG run to its end in this process: decides with <see cref="RunCoordinator"/>, starts attempts
/// through the runners, and writes every state change durably, fenced by the claim. The loop is event-driven: it
/// wakes when an attempt ends or a retry falls due, never on a polling sleep, and commits each wake-up's changes in
/// one transaction before any new process starts (so a crash leaves a record of every running attempt).
/// </summary>
internal sealed partial class RunExecutor
{
    private readonly IStateStore _store;
    private readonly ExecutorOptions _options;
    private readonly TaskRunnerRegistry _runners;
    private readonly IRunObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _jitter;
    private readonly SlotAllocator _slots;
    private readonly OwnerLease _lease;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string DagId, string RunId), Loop> _loops = new();

    public RunExecutor(
        IStateStore store,
        ExecutorOptions options,
        TaskRunnerRegistry runners,
        OwnerLease lease,
        IRunObserver? observer = null,
        TimeProvider? time = null,
        ILogger? logger = null,
        Func<double>? jitter = null)
    {
        _store = store;
        _options = options;
        _runners = runners;
        _lease = lease;
        _observer = observer ?? NullRunObserver.Instance;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _slots = options.Slots ?? new SlotAllocator(int.MaxValue, options.PoolSlots, options.DefaultPoolSlots);
    }

    /// <summary>
    /// Runs (or resumes) the claimed run to completion. Cancelling <paramref name="cancellationToken"/> interrupts it:
    /// running attempts are killed and recorded as interrupted, the claim is released and the run stays resumable.
    /// </summary>
    /// <exception cref="ClaimLostException">Another owner took the run over; this process stopped its attempts and wrote nothing more.</exception>
    /// <exception cref="OwnerFencedException">This process's lease could not be renewed; its attempts were stopped.</exception>
    public async Task<RunSnapshot> ExecuteAsync(DagDefinition dag, ClaimedRun claimed, IRunObserver? observer, CancellationToken cancellationToken)
    {
        var snapshot = claimed.Snapshot;
        if (snapshot.Run.State is RunState.Success or RunState.Failed && !snapshot.Tasks.Any(t => !t.State.IsFinished()))
        {
            return snapshot;
        }

        var loop = new Loop(this, dag, claimed, observer ?? _observer);
        var key = (claimed.Claim.DagId, claimed.Claim.RunId);
        _loops[key] = loop;
        try
        {
            return await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loops.TryRemove(new KeyValuePair<(string, string), Loop>(key, loop));
            // Slots are shared with other runs: whatever this one still holds must not leak when it ends abruptly.
            loop.ReleaseSlots();
        }
    }

    /// <summary>
    /// Tells the runs executing here what the database says of their claims (the active runs, as the dispatcher's pass
    /// read them): a run
    /// whose epoch moved on was changed elsewhere, and its loop takes it up again at once rather than at its next
    /// write, so a task an operator cleared stops within a pass even when nothing else happens in its run.
    /// </summary>
    public void NoticeClaims(IReadOnlyCollection<RunRecord> activeRuns)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var run in activeRuns)
        {
            seen.Add((run.DagId, run.RunId));
            if (_loops.TryGetValue((run.DagId, run.RunId), out var loop))
            {
                loop.Notice(run.ClaimEpoch);
            }
        }

        foreach (var (key, loop) in _loops)
        {
            if (!seen.Contains(key))
            {
                // No longer queued or running in the database (an operator finished it): stop at once.
                loop.Notice(long.MaxValue);
            }
        }
    }

    /// <summary>The state of one execution; lives for one <see cref="ExecuteAsync"/> call.</summary>
    private sealed partial class Loop
    {
        private readonly RunExecutor _x;
        private readonly DagDefinition _dag;
        private readonly IRunObserver _observer;
        private readonly StateBatch _batch = new();
        // Synchronous continuations: a waiting loop wakes on the thread that posts the attempt's end (the last thing
        // the attempt's task does, holding no lock) instead of one hop later on the thread pool.
        private readonly Channel<AttemptFinished> _finished = Channel.CreateUnbounded<AttemptFinished>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
        private readonly PriorityQueue<string, (int Priority, int Order)> _ready = new();
        private readonly PriorityQueue<string, DateTimeOffset> _retries = new();
        private readonly Dictionary<string, RunningAttempt> _running = new(StringComparer.Ordinal);
        private readonly List<RunningAttempt> _toLaunch = [];
        // Process identities reported by runners, written with the next commit (or within a second).
        private readonly ConcurrentQueue<AttemptProcess> _processes = new();
        private readonly AsyncSignal _flush = new();
        private readonly TaskHooks _hooks;
        private readonly int _parallelism;
        private readonly string _tmpDir;
        private LiveRun _run;
        private RunClaim _claim;
        private RunCoordinator _coordinator = null!;
        private string? _criticalFailure;
        private bool _tmpCreated;
        private int _flushPending;

        public Loop(RunExecutor executor, DagDefinition dag, ClaimedRun claimed, IRunObserver observer)
        {
            _x = executor;
            _dag = dag;
            _observer = observer;
            _claim = claimed.Claim;
            _batch.Claim = _claim;
            _run = new LiveRun(dag, claimed.Snapshot);
            _hooks = new TaskHooks(dag, executor._logger);
            _parallelism = Math.Max(1, executor._options.Parallelism ?? dag.MaxActiveTasks);
            _tmpDir = RunTmpFolder.For(executor._options.Home, claimed.Claim.DagId, claimed.Claim.RunId);
        }

        private DateTimeOffset Now => _x._time.GetUtcNow();

        public async Task<RunSnapshot> RunAsync(CancellationToken cancellationToken)
        {
            var fenced = _x._lease.Fenced;
            await AdoptAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                try
                {
                    return await DriveAsync(fenced, cancellationToken).ConfigureAwait(false);
                }
                catch (RebasedException)
                {
                    // The run was changed elsewhere and claimed again as it now is: go on from there.
                }
            }
        }

        /// <summary>Starts what is ready, writes, launches, and waits for the next event, until the run is done.</summary>
        private async Task<RunSnapshot> DriveAsync(CancellationToken fenced, CancellationToken cancellationToken)
        {
            await StepAsync(fenced, cancellationToken).ConfigureAwait(false);

            Task<bool>? waitRead = null;
            while (!IsDone)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await InterruptAsync(fenced).ConfigureAwait(false);
                    return _run.Snapshot();
                }

                if (fenced.IsCancellationRequested)
                {
                    await SelfFenceAsync(cancellationToken).ConfigureAwait(false);
                }

                waitRead ??= _finished.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                if (!waitRead.IsCompleted)
                {
                    await WaitAsync(waitRead, fenced, cancellationToken).ConfigureAwait(false);
                }

                if (waitRead.IsCompleted)
                {
                    waitRead = null;
                }

                while (_finished.Reader.TryRead(out var done))
                {
                    Complete(done);
                }

                if (Interlocked.Exchange(ref _claimMoved, 0) == 1)
                {
                    // The run was changed elsewhere: the next write would be refused, so take it up again now.
                    if (!await TryRebaseAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new ClaimLostException(_claim);
                    }

                    throw new RebasedException();
                }

                PromoteDueRetries();
                await StepAsync(fenced, cancellationToken).ConfigureAwait(false);
            }

            if (_run.Run.State is RunState.Running or RunState.Queued)
            {
                Finish();
            }

            _batch.ReleaseClaim = true;
            await CommitOrFenceAsync(fenced, cancellationToken).ConfigureAwait(false);
            TryDeleteTmp();
            await _hooks.DrainAsync().ConfigureAwait(false);
            var result = _run.Snapshot();
            _observer.RunFinished(result);
            return result;
        }

        /// <summary>Starts the ready tasks that may start, decides the run's end when nothing is left, writes, launches.</summary>
        private async Task StepAsync(CancellationToken fenced, CancellationToken cancellationToken)
        {
            Pump();
            if (IsDone)
            {
                // Nothing left to launch (no-op tasks only, or the rest finished): the end goes in this transaction.
                Finish();
            }

            await CommitOrFenceAsync(fenced, cancellationToken).ConfigureAwait(false);
            _hooks.Start();
            Launch();
        }

        private int _claimMoved;

        /// <summary>Called from the dispatcher's thread: wakes the loop when the run's claim epoch is not its own.</summary>
        public void Notice(long epoch)
        {
            if (epoch > Volatile.Read(ref _claim).Epoch && Interlocked.Exchange(ref _claimMoved, 1) == 0)
            {
                _flush.Set();
            }
        }

        private bool IsDone => _running.Count == 0 && _toLaunch.Count == 0 && (_coordinator.IsComplete || _criticalFailure is not null) && _ready.Count == 0 && _retries.Count == 0;

        private async Task WaitAsync(Task<bool> waitRead, CancellationToken fenced, CancellationToken cancellationToken)
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, fenced);
            var waits = new List<Task>(5) { waitRead, Task.Delay(Timeout.Infinite, wake.Token), _slotOwner.WaitAsync(), _flush.WaitAsync() };
            if (_retries.TryPeek(out _, out var due))
            {
                var delay = due - Now;
                waits.Add(delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _x._time, wake.Token));
            }

            await Task.WhenAny(waits).ConfigureAwait(false);
            // Synchronous on purpose: the callbacks only drop the other waits' timers and registrations, and
            // CancelAsync would run them on the thread pool and hold the loop for that hop on every wake-up.
            wake.Cancel();
        }

        /// <summary>A runner started the attempt's process: recorded with the next commit, at the latest within a second.</summary>
        private void ProcessStarted(string attemptId, ProcessIdentity identity)
        {
            _processes.Enqueue(new AttemptProcess(attemptId, identity));
            if (Interlocked.Exchange(ref _flushPending, 1) == 0)
            {
                _ = Task.Delay(TimeSpan.FromSeconds(1), _x._time).ContinueWith(_ => _flush.Set(), TaskScheduler.Default);
            }
        }

        /// <summary>The run's WEFT_TMP folder, made when its first attempt launches: a run of no-op tasks needs none.</summary>
        private string TmpDir()
        {
            if (!_tmpCreated)
            {
                Directory.CreateDirectory(_tmpDir);
                _tmpCreated = true;
            }

            return _tmpDir;
        }

        // A resumed run may have the folder from its earlier process.
        private void TryDeleteTmp() => RunTmpFolder.TryDelete(_tmpDir, _x._logger);
    }
}
