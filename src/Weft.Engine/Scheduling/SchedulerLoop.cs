using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// The scheduler: registers the DAGs folder, creates runs as they fall due (catchup, <c>max_active_runs</c>,
/// paused DAGs), executes queued runs in this process when given an executor, and records SLA misses.
/// One pass does all of it; between passes the loop sleeps until the next run is due, at most
/// <see cref="SchedulerOptions.MaxSleep"/>, and is woken early by a change in the folder or a run ending.
/// The clock is the injected <see cref="TimeProvider"/>; the database is the only shared state.
/// </summary>
internal sealed partial class SchedulerLoop
{
    private const int ListLimit = 10_000;

    /// <summary>WEFT_SCHEDULER_TRACE=1 prints every pass's duration on stderr (for bench/).</summary>
    private static readonly bool TracePasses = Environment.GetEnvironmentVariable("WEFT_SCHEDULER_TRACE") == "1";

    private readonly IStateStore _store;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SlotAllocator? _slots;
    private readonly RunDispatcher? _dispatcher;
    private readonly SlaMonitor _sla;
    private readonly AsyncSignal _wake = new();
    private readonly Dictionary<string, DateTimeOffset?> _lastLogicalDate = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastScan;
    private DateTimeOffset? _lastPoolRefresh;
    private int _forceScan;
    private bool _adopted;

    /// <param name="executor">Executes the queued runs in this process; null to only create them.</param>
    /// <param name="slots">The allocator <paramref name="executor"/> shares, resized from the pools table.</param>
    public SchedulerLoop(IStateStore store, SchedulerOptions options, TimeProvider time, ILogger logger, RunExecutor? executor = null, SlotAllocator? slots = null)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _slots = slots;
        Registry = new DagRegistry(store, options.DagsFolder, time, logger);
        _dispatcher = executor is null ? null : new RunDispatcher(store, executor, logger, _wake);
        _sla = new SlaMonitor(store, time, logger);
    }

    /// <summary>The DAGs of the folder.</summary>
    public DagRegistry Registry { get; }

    /// <summary>Runs passes until cancelled; then interrupts the runs executing here (they stay resumable).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var watcher = _options.WatchFolder ? new DagFolderWatcher(_options.DagsFolder, _options.Debounce, RequestRescan) : null;
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
                        Console.Error.WriteLine($"weft: scheduler pass {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms, {Registry.Dags.Count} dags, sleep {sleep.TotalMilliseconds:F0} ms");
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

                await SleepAsync(sleep, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_dispatcher is not null)
            {
                await _dispatcher.StopAsync().ConfigureAwait(false);
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
    internal async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var force = Interlocked.Exchange(ref _forceScan, 0) == 1;
        if (force || _lastScan is not { } scanned || now - scanned >= _options.RescanInterval)
        {
            await Registry.SyncAsync(force, cancellationToken).ConfigureAwait(false);
            _lastScan = now;
        }

        await RefreshPoolsAsync(now, cancellationToken).ConfigureAwait(false);
        var records = (await _store.ListDagsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.DagId, StringComparer.Ordinal);
        var queued = (await _store.ListRunsAsync(new RunQuery(State: RunState.Queued, Limit: ListLimit), cancellationToken).ConfigureAwait(false)).Items.ToList();
        var running = (await _store.ListRunsAsync(new RunQuery(State: RunState.Running, Limit: ListLimit), cancellationToken).ConfigureAwait(false)).Items;

        var next = now + _options.MaxSleep;
        foreach (var reg in Registry.Dags.Values)
        {
            if (records.TryGetValue(reg.Id, out var record) && record.IsPaused)
            {
                continue;
            }

            var active = queued.Count(r => r.DagId == reg.Id) + running.Count(r => r.DagId == reg.Id);
            queued.AddRange(await CreateDueRunsAsync(reg, now, active, cancellationToken).ConfigureAwait(false));
            if (RunPlanner.NextRuns(reg.Definition, now, 1) is [var upcoming] && upcoming.RunAfter < next)
            {
                next = upcoming.RunAfter;
            }
        }

        if (_dispatcher is not null)
        {
            Dispatch(records, queued, running);
        }

        await CheckSlasAsync(running, cancellationToken).ConfigureAwait(false);
        var sleep = next - _time.GetUtcNow();
        return sleep > TimeSpan.Zero ? sleep : TimeSpan.Zero;
    }

    private async Task SleepAsync(TimeSpan sleep, CancellationToken cancellationToken)
    {
        if (sleep <= TimeSpan.Zero)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(sleep, _time, stop.Token), _wake.WaitAsync()).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
    }

    private async Task RefreshPoolsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_slots is null || (_lastPoolRefresh is { } last && now - last < _options.PoolRefreshInterval))
        {
            return;
        }

        var pools = await _store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        _slots.SetPoolSizes(pools.ToDictionary(p => p.Name, p => p.Slots, StringComparer.Ordinal));
        _lastPoolRefresh = now;
    }
}
