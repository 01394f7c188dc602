using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

internal sealed partial class OperatorActions
{
    /// <summary>
    /// The dead letters: task instances that ended <c>failed</c> (retries used up), across runs and DAGs, most recent
    /// first; with <paramref name="state"/>, the instances in that state instead.
    /// </summary>
    public Task<PagedResult<TaskInstanceRecord>> ListTaskInstancesAsync(TaskState state, string? dagId, int limit, int offset, CancellationToken cancellationToken) =>
        store.ListTaskInstancesAsync(new TaskInstanceQuery(state, dagId, limit, offset), cancellationToken);

    /// <summary>
    /// Replays a dead letter: clears the task and everything downstream of it so they run again (a fresh set of
    /// tries), as the Go orchestrator's replay of its dead-letter queue does.
    /// </summary>
    /// <exception cref="OperationException">No such run or task (not found); its DAG does not load (conflict).</exception>
    public async Task<ClearOutcome> ReplayAsync(string? dagId, string runId, string taskId, string? actor, CancellationToken cancellationToken)
    {
        var outcome = await ClearAsync(new ClearRequest(dagId, runId, [taskId], Downstream: true), actor, cancellationToken).ConfigureAwait(false);
        await AuditAsync(OperatorEvents.Replayed, outcome.Run.Run.DagId, runId, taskId, $"replayed with {outcome.Cleared.Count - 1} downstream task(s)", actor, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Every circuit breaker the database knows, by name; none when the store keeps none.</summary>
    public async Task<IReadOnlyList<CircuitRecord>> ListCircuitBreakersAsync(CancellationToken cancellationToken) =>
        store is ICircuitStore circuits ? await circuits.ListCircuitsAsync(cancellationToken).ConfigureAwait(false) : [];
}
