using Microsoft.AspNetCore.Http;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Dags;
using Weft.Server.Execution;

namespace Weft.Server.Api;

/// <summary>
/// Operator actions that rewrite a run's state: clear, mark a run, mark a task. Each first stops the run's
/// execution in this process (so no executor overwrites the change), writes the change and an audit event in one
/// batch, and queues the run again when something is left to do; the executor then resumes it.
/// </summary>
internal sealed class RunActions(IStateStore store, DagCatalog catalog, IRunControl control, AuditLog audit, FinishedRuns finished, TimeProvider time)
{
    /// <summary>The outcome: the run after the change, or an error for the caller to turn into a problem.</summary>
    internal sealed record Outcome(RunSnapshot? Run, IReadOnlyList<string> TaskIds, int Status = 200, string? Error = null);

    public async Task<Outcome> ClearAsync(HttpContext http, string dagId, string runId, ClearRequest request, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetRunAsync(dagId, runId, cancellationToken);
        if (snapshot is null)
        {
            return new Outcome(null, [], 404, $"no run '{runId}' of DAG '{dagId}'");
        }

        var dag = await catalog.ForRunAsync(snapshot.Run, cancellationToken);
        var known = snapshot.Tasks.Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
        var unknown = (request.TaskIds ?? []).Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            return new Outcome(null, [], 400, $"the run has no task '{unknown[0]}'");
        }

        var chosen = new HashSet<string>(request.TaskIds is { Count: > 0 } ids ? ids : known, StringComparer.Ordinal);
        if (request.IncludeDownstream && dag is not null)
        {
            AddDownstream(dag, chosen);
        }

        var byId = snapshot.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var clear = snapshot.Tasks
            .Where(t => chosen.Contains(t.TaskId))
            .Where(t => !request.OnlyFailed || t.State is TaskState.Failed or TaskState.UpstreamFailed)
            .Select(t => t.TaskId)
            .ToList();
        if (request.DryRun || clear.Count == 0)
        {
            return new Outcome(snapshot, clear);
        }

        await control.StopAsync(dagId, runId, cancellationToken);
        snapshot = await store.GetRunAsync(dagId, runId, cancellationToken) ?? snapshot;
        byId = snapshot.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var definitions = dag?.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var batch = new StateBatch();
        foreach (var id in clear)
        {
            var t = byId[id];
            // Like Airflow, a cleared task gets its full retries again on top of the tries it used.
            var retries = definitions is not null && definitions.TryGetValue(id, out var def) ? def.MaxTries : Math.Max(1, t.MaxTries - t.TryNumber);
            batch.TaskInstances.Add(t with
            {
                State = TaskState.None, MaxTries = t.TryNumber + retries, ExitCode = null, StartDate = null, EndDate = null,
                NextRetryAt = null, AttemptId = null, Reason = null, Outputs = new Dictionary<string, string>(),
            });
        }

        batch.Runs.Add(snapshot.Run with { State = RunState.Queued, EndDate = null });
        batch.Events.Add(audit.Event(http, "cleared", dagId, runId, clear.Count == 1 ? clear[0] : null, $"cleared {clear.Count} task(s): {string.Join(", ", clear.Take(20))}"));
        await CommitAsync(batch, cancellationToken);
        control.Nudge();
        return new Outcome(await store.GetRunAsync(dagId, runId, cancellationToken), clear);
    }

    public async Task<Outcome> MarkRunAsync(HttpContext http, string dagId, string runId, RunState state, CancellationToken cancellationToken)
    {
        if (await store.GetRunAsync(dagId, runId, cancellationToken) is null)
        {
            return new Outcome(null, [], 404, $"no run '{runId}' of DAG '{dagId}'");
        }

        await control.StopAsync(dagId, runId, cancellationToken);
        var snapshot = (await store.GetRunAsync(dagId, runId, cancellationToken))!;
        var now = time.GetUtcNow();
        var batch = new StateBatch();
        var changed = new List<string>();
        if (state is RunState.Success or RunState.Failed)
        {
            foreach (var t in snapshot.Tasks.Where(t => !t.State.IsFinished()))
            {
                // Marking a run failed fails what was under way and skips what never started, as Airflow does.
                var to = state == RunState.Success ? TaskState.Success
                    : t.State is TaskState.Running or TaskState.Queued or TaskState.UpForRetry ? TaskState.Failed : TaskState.Skipped;
                batch.TaskInstances.Add(t with { State = to, EndDate = now, NextRetryAt = null, Reason = $"run marked {state.ToName()}" });
                changed.Add(t.TaskId);
            }

            batch.Runs.Add(snapshot.Run with { State = state, StartDate = snapshot.Run.StartDate ?? now, EndDate = now });
        }
        else
        {
            batch.Runs.Add(snapshot.Run with { State = RunState.Queued, EndDate = null });
        }

        batch.Events.Add(audit.Event(http, "run_marked", dagId, runId, null, $"run marked {state.ToName()}"));
        await CommitAsync(batch, cancellationToken);
        if (state == RunState.Queued)
        {
            control.Nudge();
        }

        return new Outcome(await store.GetRunAsync(dagId, runId, cancellationToken), changed);
    }

    public async Task<Outcome> MarkTaskAsync(HttpContext http, string dagId, string runId, string taskId, TaskState state, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetRunAsync(dagId, runId, cancellationToken);
        if (snapshot is null || snapshot.Tasks.All(t => t.TaskId != taskId))
        {
            return new Outcome(null, [], 404, $"no task instance '{taskId}' in run '{runId}' of DAG '{dagId}'");
        }

        await control.StopAsync(dagId, runId, cancellationToken);
        snapshot = (await store.GetRunAsync(dagId, runId, cancellationToken))!;
        var task = snapshot.Tasks.First(t => t.TaskId == taskId);
        if (!TaskStateMachine.CanTransition(task.State, state) && task.State != state)
        {
            return new Outcome(null, [], 409, $"task '{taskId}' cannot go from {task.State.ToName()} to {state.ToName()}");
        }

        var now = time.GetUtcNow();
        var batch = new StateBatch();
        batch.TaskInstances.Add(task with { State = state, StartDate = task.StartDate ?? now, EndDate = now, NextRetryAt = null, Reason = $"marked {state.ToName()}" });
        // The run is queued again so the executor carries on from the new state (or settles the run's own state).
        batch.Runs.Add(snapshot.Run with { State = RunState.Queued, EndDate = null });
        batch.Events.Add(audit.Event(http, "task_marked", dagId, runId, taskId, $"task marked {state.ToName()}"));
        await CommitAsync(batch, cancellationToken);
        control.Nudge();
        return new Outcome(await store.GetRunAsync(dagId, runId, cancellationToken), [taskId]);
    }

    private async Task CommitAsync(StateBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await store.CommitAsync(batch, cancellationToken);
        }
        finally
        {
            // Also after a failure: the commit may have reached the database before the error.
            finished.Invalidate();
        }
    }

    private static void AddDownstream(DagDefinition dag, HashSet<string> chosen)
    {
        var downstream = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var t in dag.Tasks)
        {
            foreach (var up in t.DependsOn)
            {
                if (!downstream.TryGetValue(up, out var list))
                {
                    downstream[up] = list = [];
                }

                list.Add(t.Id);
            }
        }

        var pending = new Queue<string>(chosen);
        while (pending.TryDequeue(out var id))
        {
            foreach (var next in downstream.GetValueOrDefault(id) ?? [])
            {
                if (chosen.Add(next))
                {
                    pending.Enqueue(next);
                }
            }
        }
    }
}
