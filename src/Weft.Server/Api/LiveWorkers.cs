using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Execution;

namespace Weft.Server.Api;

/// <summary>The processes that run tasks and whose lease holds, as <c>/api/v1/workers</c> lists them and <c>/api/v1/health</c> sums them up.</summary>
internal static class LiveWorkers
{
    public static async Task<List<WorkerResponse>> ListAsync(IStateStore store, ExecutionService execution, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owners = await store.ListOwnersAsync(cancellationToken);
        var held = (await store.ListClaimedAsync(null, cancellationToken))
            .Where(e => e.State == QueueState.Claimed && e.Worker is not null)
            .ToLookup(e => e.Worker!, StringComparer.Ordinal);
        var self = execution.Executor?.Lease.OwnerId;
        return owners
            .Where(o => o.LeaseExpiresAt > now)
            .Select(o => new WorkerResponse(o.OwnerId, o.Kind, o.Queues.Count > 0 ? o.Queues : ["*"], o.OwnerId == self ? execution.Loop?.Dispatcher?.ActiveRuns ?? 0 : 0, o.HeartbeatAt)
            {
                Host = o.Host,
                Pid = o.Pid,
                LeaseExpiresAt = o.LeaseExpiresAt,
                RunningAttempts = held[o.OwnerId]
                    .Select(e => new WorkerAttemptResponse(e.Attempt.AttemptId, e.Attempt.DagId, e.Attempt.RunId, e.Attempt.TaskId, e.Attempt.TryNumber, e.Attempt.Queue, e.ClaimedAt))
                    .ToList(),
            })
            .ToList();
    }
}
