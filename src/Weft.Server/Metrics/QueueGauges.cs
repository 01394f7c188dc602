using System.Diagnostics;
using System.Diagnostics.Metrics;
using Weft.Engine.Storage;

namespace Weft.Server.Metrics;

/// <summary>
/// What the attempt queue looks like, for <c>/metrics</c>: read from the database when metrics are scraped (at most once
/// a second), because the workers and schedulers that change it are other processes, often on other machines.
/// </summary>
internal sealed class QueueGauges
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot _current = new(new Dictionary<string, int>(), 0, 0, 0, 0, 0);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public QueueGauges(IStateStore store, WeftMetrics metrics, TimeProvider time)
    {
        _store = store;
        _time = time;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("weft.queue.depth", () => _current.Depth.Select(d => new Measurement<int>(d.Value, new TagList { { "queue", d.Key } })),
            description: "Attempts waiting for a worker, per queue");
        meter.CreateObservableGauge("weft.workers.live", () => _current.LiveWorkers, description: "Workers whose lease holds");
        meter.CreateObservableGauge("weft.workers.lease_expired", () => _current.ExpiredWorkers,
            description: "Workers whose lease ran out without a clean stop (kept for a day)");
        meter.CreateObservableGauge("weft.queue.held", () => _current.Held, description: "Attempts workers hold now");
        meter.CreateObservableGauge("weft.queue.claim_latency.mean", () => _current.ClaimLatencyMean, "s",
            "Mean time from queued to claimed of the attempts workers hold now");
        meter.CreateObservableGauge("weft.queue.claim_latency.max", () => _current.ClaimLatencyMax, "s",
            "Longest time from queued to claimed of the attempts workers hold now");
    }

    /// <summary>Reads the queue again unless it was read within the last second.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _readAt < FreshFor)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            if (now - _readAt < FreshFor)
            {
                return;
            }

            var depth = await _store.CountQueuedAsync(cancellationToken);
            var workers = (await _store.ListOwnersAsync(cancellationToken)).Where(o => o.Kind == "worker").ToList();
            var held = (await _store.ListClaimedAsync(null, cancellationToken)).Where(e => e.State == QueueState.Claimed && e.ClaimedAt is not null).ToList();
            var latencies = held.Select(e => Math.Max(0, (e.ClaimedAt!.Value - e.Attempt.EnqueuedAt).TotalSeconds)).ToList();
            _current = new Snapshot(
                depth,
                workers.Count(o => o.LeaseExpiresAt > now),
                workers.Count(o => o.LeaseExpiresAt <= now),
                held.Count,
                latencies.Count == 0 ? 0 : latencies.Average(),
                latencies.Count == 0 ? 0 : latencies.Max());
            _readAt = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, int> Depth, int LiveWorkers, int ExpiredWorkers, int Held, double ClaimLatencyMean, double ClaimLatencyMax);
}
