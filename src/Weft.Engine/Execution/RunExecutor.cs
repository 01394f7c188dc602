using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Runners;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>
/// Runs one DAG run to its end in this process: decides with <see cref="RunCoordinator"/>, starts attempts
/// through the runners, and writes every state change durably. The loop is event-driven: it wakes when an
/// attempt ends or a retry falls due, never on a polling sleep, and commits each wake-up's changes in one
/// transaction before any new process starts (so a crash leaves a record of every running attempt).
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

    public RunExecutor(
        IStateStore store,
        ExecutorOptions options,
        TaskRunnerRegistry runners,
        IRunObserver? observer = null,
        TimeProvider? time = null,
        ILogger? logger = null,
        Func<double>? jitter = null)
    {
        _store = store;
        _options = options;
        _runners = runners;
        _observer = observer ?? NullRunObserver.Instance;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _slots = options.Slots ?? new SlotAllocator(int.MaxValue, options.PoolSlots, options.DefaultPoolSlots);
    }

    /// <summary>
    /// Runs (or resumes) the run to completion. Cancelling <paramref name="cancellationToken"/> interrupts it:
    /// running attempts are killed and recorded as interrupted, and the run stays resumable.
    /// </summary>
    public async Task<RunSnapshot> ExecuteAsync(DagDefinition dag, string runId, CancellationToken cancellationToken)
    {
        var snapshot = await _store.GetRunAsync(dag.Id, runId, CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"run '{runId}' of DAG '{dag.Id}' does not exist");
        return await ExecuteAsync(dag, snapshot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs (or resumes) the run from a snapshot the caller holds, as stored: the run just created from
    /// <paramref name="dag"/>, with one task instance per task, needs no read back.
    /// </summary>
    public async Task<RunSnapshot> ExecuteAsync(DagDefinition dag, RunSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Run.State is RunState.Success or RunState.Failed && !snapshot.Tasks.Any(t => !t.State.IsFinished()))
        {
            return snapshot;
        }

        var loop = new Loop(this, new LiveRun(dag, snapshot));
        try
        {
            return await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Slots are shared with other runs: whatever this one still holds must not leak when it ends abruptly.
            loop.ReleaseSlots();
        }
    }

    /// <summary>The state of one execution; lives for one <see cref="ExecuteAsync"/> call.</summary>
    private sealed partial class Loop
    {
        private readonly RunExecutor _x;
        private readonly LiveRun _run;
        private readonly StateBatch _batch = new();
        // Synchronous continuations: a waiting loop wakes on the thread that posts the attempt's end (the last thing
        // the attempt's task does, holding no lock) instead of one hop later on the thread pool.
        private readonly Channel<AttemptFinished> _finished = Channel.CreateUnbounded<AttemptFinished>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
        private readonly PriorityQueue<string, (int Priority, int Order)> _ready = new();
        private readonly PriorityQueue<string, DateTimeOffset> _retries = new();
        private readonly Dictionary<string, RunningAttempt> _running = new(StringComparer.Ordinal);
        private readonly List<RunningAttempt> _toLaunch = [];
        private readonly int _parallelism;
        private readonly string _tmpDir;
        private RunCoordinator _coordinator = null!;
        private string? _criticalFailure;
        private bool _tmpCreated;

        public Loop(RunExecutor executor, LiveRun run)
        {
            _x = executor;
            _run = run;
            _parallelism = Math.Max(1, executor._options.Parallelism ?? run.Dag.MaxActiveTasks);
            _tmpDir = Path.Combine(executor._options.Home, "tmp", Sanitize(run.Run.DagId), Sanitize(run.Run.RunId));
        }

        private DateTimeOffset Now => _x._time.GetUtcNow();

        public async Task<RunSnapshot> RunAsync(CancellationToken cancellationToken)
        {
            Recover();
            Pump();
            if (IsDone)
            {
                // Nothing left to launch (no-op tasks only): the run's start and end go in one transaction.
                Finish();
            }

            await CommitAsync().ConfigureAwait(false);
            Launch();

            Task<bool>? waitRead = null;
            while (!IsDone)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await InterruptAsync().ConfigureAwait(false);
                    return _run.Snapshot();
                }

                waitRead ??= _finished.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                if (!waitRead.IsCompleted)
                {
                    await WaitAsync(waitRead, cancellationToken).ConfigureAwait(false);
                }

                if (waitRead.IsCompleted)
                {
                    waitRead = null;
                }

                while (_finished.Reader.TryRead(out var done))
                {
                    Complete(done);
                }

                PromoteDueRetries();
                Pump();
                if (IsDone)
                {
                    Finish();
                }

                await CommitAsync().ConfigureAwait(false);
                Launch();
            }

            if (_run.Run.State is RunState.Running or RunState.Queued)
            {
                Finish();
                await CommitAsync().ConfigureAwait(false);
            }

            TryDeleteTmp();
            var result = _run.Snapshot();
            _x._observer.RunFinished(result);
            return result;
        }

        private bool IsDone => _running.Count == 0 && _toLaunch.Count == 0 && (_coordinator.IsComplete || _criticalFailure is not null) && _ready.Count == 0 && _retries.Count == 0;

        private async Task WaitAsync(Task<bool> waitRead, CancellationToken cancellationToken)
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = new List<Task>(4) { waitRead, Task.Delay(Timeout.Infinite, wake.Token), _slotOwner.WaitAsync() };
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

        private async Task CommitAsync()
        {
            _run.Flush(_batch);
            if (_batch.IsEmpty)
            {
                return;
            }

            // Not cancellable: a half-written batch is not possible (one transaction), but giving up on
            // writing what already happened would lose it.
            await _x._store.CommitAsync(_batch, CancellationToken.None).ConfigureAwait(false);
            _batch.Clear();
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

        private void TryDeleteTmp()
        {
            try
            {
                // A resumed run may have the folder from its earlier process.
                if (_tmpCreated || Directory.Exists(_tmpDir))
                {
                    Directory.Delete(_tmpDir, recursive: true);
                }
            }
            catch (IOException ex)
            {
                _x._logger.LogDebug(ex, "Could not remove {TmpDir}", _tmpDir);
            }
            catch (UnauthorizedAccessException ex)
            {
                _x._logger.LogDebug(ex, "Could not remove {TmpDir}", _tmpDir);
            }
        }

        private static string Sanitize(string id) => id.Replace('/', '_').Replace('\\', '_');
    }
}
