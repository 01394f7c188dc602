using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Engine.Execution;
using Weft.Engine.Ownership;
using Weft.Engine.Storage;

namespace Weft.Engine.Workers;

/// <summary>
/// What a worker tells the database about its attempts (the processes it started, its results), written together: what
/// comes in while one write is under way goes in the next one, in one round trip. A lone report is written at once, and
/// under load the cost per attempt falls as the batches grow. A database that does not answer is tried again with
/// backoff; results wait for it (their attempts stay held), process records are dropped after a while.
/// </summary>
internal sealed class WorkerReports : IAsyncDisposable
{
    private const int MaxTries = 50;
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<Report> _pending = new();
    private readonly AsyncSignal _signal = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WorkerReports(IStateStore store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Records the process started for an attempt held under <paramref name="owner"/> (with the next write).</summary>
    public void Process(string owner, string attemptId, ProcessIdentity identity)
    {
        _pending.Enqueue(new Report(owner, new QueuedProcess(attemptId, identity), null, null));
        _signal.Set();
    }

    /// <summary>Writes a result, fenced by the claim it was held under: true when accepted, false when refused (taken back).</summary>
    public Task<bool> ResultAsync(string owner, string attemptId, string resultJson)
    {
        var accepted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue(new Report(owner, null, new QueuedResult(attemptId, resultJson), accepted));
        _signal.Set();
        return accepted.Task;
    }

    private async Task LoopAsync()
    {
        var stopped = Task.Delay(Timeout.Infinite, _stop.Token);
        while (true)
        {
            if (_pending.IsEmpty)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.WhenAny(_signal.WaitAsync(), stopped).ConfigureAwait(false);
                continue;
            }

            var reports = new List<Report>();
            while (_pending.TryDequeue(out var report))
            {
                reports.Add(report);
            }

            // Owners differ only across a re-registration of the worker; each is written under its own fence.
            foreach (var group in reports.GroupBy(r => r.Owner, StringComparer.Ordinal))
            {
                await WriteAsync(group.Key, group.ToList()).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteAsync(string owner, List<Report> reports)
    {
        var processes = reports.Where(r => r.Process is not null).Select(r => r.Process!).ToList();
        var results = reports.Where(r => r.Result is not null).ToList();
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var accepted = await _store.ReportQueuedAsync(owner, processes, results.Select(r => r.Result!).ToList(), _time.GetUtcNow(), CancellationToken.None)
                    .ConfigureAwait(false);
                foreach (var report in results)
                {
                    report.Accepted!.TrySetResult(accepted.Contains(report.Result!.AttemptId));
                }

                return;
            }
            catch (Exception ex) when (StoreHealth.IsTransient(ex) && attempt < MaxTries)
            {
                _logger.LogWarning("Writing {Count} result(s) of this worker failed, trying again: {Message}", results.Count, ex.Message);
                await Task.Delay(delay, _time, CancellationToken.None).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                if (attempt == 5)
                {
                    // A process record only helps while its attempt runs: not worth holding results back for.
                    processes.Clear();
                }
            }
            catch (Exception ex)
            {
                foreach (var report in results)
                {
                    report.Accepted!.TrySetException(ex);
                }

                return;
            }
        }
    }

    /// <summary>Writes what is pending, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _signal.Set();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed record Report(string Owner, QueuedProcess? Process, QueuedResult? Result, TaskCompletionSource<bool>? Accepted);
}
