using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Execution;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// The scheduler: registers the DAGs folder, creates runs as they fall due (catchup, <c>max_active_runs</c>,
/// paused DAGs), executes queued runs in this process when given an executor, and records SLA misses.
/// One pass does all of it; between passes the loop sleeps until the next run is due, at most
/// <see cref="SchedulerOptions.MaxSleep"/>, and is woken early by a change in the folder or by the end of a run
/// that other runs of its DAG wait for.
/// The clock is the injected <see cref="TimeProvider"/>; the database is the only shared state.
/// </summary>
internal sealed partial class SchedulerLoop
{
    /// <summary>WEFT_SCHEDULER_TRACE=1 prints every pass's duration on stderr (for bench/).</summary>
    private static readonly bool TracePasses = Environment.GetEnvironmentVariable("WEFT_SCHEDULER_TRACE") == "1";

    private readonly IStateStore _store;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RunDispatcher? _dispatcher;
    private readonly SlaMonitor _sla;
    private readonly AsyncSignal _wake = new();
    private readonly PassTrace _trace = new(TracePasses);

    /// <summary>How long before a due instant the runs due then are planned (a share per pass), off the due pass.</summary>
    private static readonly TimeSpan PrepareWithin = TimeSpan.FromSeconds(10);

    /// <summary>The most DAGs planned ahead in one pass, so no pass takes long.</summary>
    private const int PreparePerPass = 150;

    /// <summary>The periodic folder rescan is put off when a run falls due sooner than this.</summary>
    private static readonly TimeSpan QuietBeforeDue = TimeSpan.FromMilliseconds(200);
    private readonly Dictionary<string, DateTimeOffset?> _lastLogicalDate = new(StringComparer.Ordinal);
    // Per DAG, the instant before which no run of it can fall due; a DAG missing here is planned on the next pass.
    private readonly Dictionary<string, DateTimeOffset> _nextDue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreparedRuns> _prepared = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastScan;
    private DateTimeOffset? _wakeAt;
    private IReadOnlySet<string> _lastWaiting = new HashSet<string>(StringComparer.Ordinal);
    private DateTimeOffset? _lastPoolRefresh;
    private int _forceScan;

    /// <param name="executor">Executes runs in this process (the runs it creates, and queued ones); null to only create them.</param>
    /// <param name="dispatcher">Options of the dispatcher that takes up queued runs with <paramref name="executor"/>.</param>
    /// <param name="registry">The registrar of <see cref="SchedulerOptions.DagsFolder"/> when the host already made one (the server registers the folder before it answers); a new one when null.</param>
    public SchedulerLoop(
        IStateStore store, SchedulerOptions options, TimeProvider time, ILogger logger, Executor? executor = null, DispatcherOptions? dispatcher = null,
        DagRegistry? registry = null)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        Registry = registry ?? new DagRegistry(store, options.DagsFolder, time, logger);
        _dispatcher = executor is null ? null : new RunDispatcher(executor, Registry.ResolveAsync, dispatcher ?? new DispatcherOptions(), logger, _wake);
        _sla = new SlaMonitor(store, time, logger);
    }

    /// <summary>The dispatcher executing runs in this process; null when the loop only creates runs.</summary>
    public RunDispatcher? Dispatcher => _dispatcher;

    /// <summary>When the last pass ended; null before the first.</summary>
    public DateTimeOffset? LastPass { get; private set; }

    /// <summary>The DAGs of the folder.</summary>
    public DagRegistry Registry { get; }

    /// <summary>
    /// Runs passes until cancelled (and the dispatcher beside them); then lets the runs executing here finish for up
    /// to <paramref name="grace"/> and interrupts the rest (they stay resumable).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken, TimeSpan grace = default)
    {
        using var watcher = _options.WatchFolder ? new DagFolderWatcher(_options.DagsFolder, _options.Debounce, RequestRescan) : null;
        var dispatching = _dispatcher is null ? Task.CompletedTask : Task.Run(() => _dispatcher.RunAsync(cancellationToken), CancellationToken.None);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan sleep;
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    sleep = await PassAsync(cancellationToken).ConfigureAwait(false);
                    if (TracePasses)
                    {
                        Console.Error.WriteLine($"weft: scheduler pass {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms, {Registry.Dags.Count} dags, sleep {sleep.TotalMilliseconds:F0} ms ({_trace})");
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    // A busy database or an unreadable file must not stop scheduling; the next pass tries again.
                    _logger.LogError(ex, "Scheduler pass failed: {Message}", ex.Message);
                    sleep = _options.MaxSleep;
                }

                LastPass = _time.GetUtcNow();
                _wakeAt = _time.GetUtcNow() + sleep;
                await SleepAsync(sleep, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await dispatching.ConfigureAwait(false);
            if (_dispatcher is not null)
            {
                await _dispatcher.StopAsync(grace).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Makes the next pass reload every DAG file (hashing them), and wakes the loop for it.</summary>
    public void RequestRescan()
    {
        Volatile.Write(ref _forceScan, 1);
        _wake.Set();
    }

    /// <summary>One pass; returns how long to sleep before the next.</summary>
    /// <remarks>
    /// Kept cheap for many DAGs: each DAG is planned only when its next run falls due (or when the folder
    /// changed), and the database is asked only for paused DAG ids and the queued or running runs. The runs
    /// that fell due are created in one transaction and handed to the dispatcher with the rows written (one
    /// transaction per chunk of runs was tried: the first runs then start sooner, but their writes and work hold
    /// back the later chunks, and the pass takes several times longer). The periodic folder rescan waits for a
    /// pass with no run due soon.
    /// </remarks>
    internal async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _trace.Begin(_wakeAt is { } wakeAt ? now - wakeAt : TimeSpan.Zero);
        var force = Interlocked.Exchange(ref _forceScan, 0) == 1;
        if (force || _lastScan is not { } scanned || RescanDue(now, scanned))
        {
            await SyncFolderAsync(force, now, cancellationToken).ConfigureAwait(false);
        }

        await RefreshPoolsAsync(now, cancellationToken).ConfigureAwait(false);
        var paused = (await _store.ListPausedDagsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var active = await _store.ListActiveRunsAsync(cancellationToken).ConfigureAwait(false);
        var plan = new DuePlan(active);
        _trace.Mark("read");

        var soonest = DateTimeOffset.MaxValue;
        var created = new List<NewRun>();
        foreach (var reg in Registry.Dags.Values)
        {
            if (paused.Contains(reg.Id))
            {
                continue;
            }

            if (!_nextDue.TryGetValue(reg.Id, out var due) || due <= now)
            {
                due = await PlanDueRunsAsync(reg, now, plan, cancellationToken).ConfigureAwait(false);
            }

            if (due < soonest)
            {
                soonest = due;
            }
        }

        _trace.Mark("plan");
        await CreateAndStartAsync(plan, created, cancellationToken).ConfigureAwait(false);
        _dispatcher?.SetWaitingDags(plan.Waiting);

        LogCreated(created);
        await CheckSlasAsync(active, cancellationToken).ConfigureAwait(false);
        _lastWaiting = plan.Waiting;
        _trace.Mark("log+sla");

        if (soonest - now <= PrepareWithin)
        {
            PrepareAhead(soonest, paused, PreparePerPass);
            _trace.Mark("prepare");
        }

        var next = soonest < now + _options.MaxSleep ? soonest : now + _options.MaxSleep;
        var sleep = next - _time.GetUtcNow();
        return sleep > TimeSpan.Zero ? sleep : TimeSpan.Zero;
    }

    /// <summary>Creates the planned runs in one transaction and starts them.</summary>
    private async Task CreateAndStartAsync(DuePlan plan, List<NewRun> created, CancellationToken cancellationToken)
    {
        if (plan.IsEmpty)
        {
            return;
        }

        var written = await CreatePlannedRunsAsync(plan, cancellationToken).ConfigureAwait(false);
        plan.Clear();
        _trace.Mark($"create {written.Count}");
        if (_dispatcher is not null && written.Count > 0)
        {
            // Created claimed by this process: they start from the rows written, with no read back.
            foreach (var run in written)
            {
                if (Registry.Dags.TryGetValue(run.Run.DagId, out var reg))
                {
                    _dispatcher.Start(reg.Definition, new ClaimedRun(
                        new RunClaim(run.Run.DagId, run.Run.RunId, _dispatcher.Executor.Lease.OwnerId, 1),
                        new RunSnapshot(run.Run, run.Tasks)));
                }
            }

            _trace.Mark("start");
        }

        created.AddRange(written);
    }

    /// <summary>
    /// The periodic rescan (a safety net for missed file events) is due every <see cref="SchedulerOptions.RescanInterval"/>,
    /// but put off while a run falls due within <see cref="QuietBeforeDue"/>, so it never delays a due point; at most
    /// five intervals.
    /// </summary>
    private bool RescanDue(DateTimeOffset now, DateTimeOffset scanned)
    {
        var since = now - scanned;
        if (since < _options.RescanInterval)
        {
            return false;
        }

        if (since >= 5 * _options.RescanInterval)
        {
            return true;
        }

        var soon = now + QuietBeforeDue;
        foreach (var id in Registry.Dags.Keys)
        {
            // A DAG held back by max_active_runs has no due time; it waits for a run to end, not for the clock.
            if (_nextDue.TryGetValue(id, out var due) ? due <= soon : !_lastWaiting.Contains(id))
            {
                return false;
            }
        }

        return true;
    }

    private async Task SyncFolderAsync(bool force, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await Registry.SyncAsync(force, cancellationToken).ConfigureAwait(false))
        {
            // A DAG was added, changed or removed: plan every DAG again.
            _nextDue.Clear();
            _prepared.Clear();
        }

        _lastScan = now;
        _trace.Mark("folder");
    }

    private async Task SleepAsync(TimeSpan sleep, CancellationToken cancellationToken)
    {
        if (sleep <= TimeSpan.Zero)
        {
            return;
        }

        // Rounded up to the timer's millisecond so the loop does not wake a fraction before the due instant.
        sleep = TimeSpan.FromMilliseconds(Math.Ceiling(sleep.TotalMilliseconds));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(sleep, _time, stop.Token), _wake.WaitAsync()).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
    }

    private async Task RefreshPoolsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_dispatcher is null || (_lastPoolRefresh is { } last && now - last < _options.PoolRefreshInterval))
        {
            return;
        }

        await _dispatcher.Executor.RefreshPoolsAsync(cancellationToken).ConfigureAwait(false);
        _lastPoolRefresh = now;
    }
}
