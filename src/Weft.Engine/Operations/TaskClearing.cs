using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>What clearing changed: the rows to commit, the ids reset, and the run as it is afterwards.</summary>
internal sealed record ClearResult(StateBatch Batch, IReadOnlyList<string> Cleared, RunSnapshot After);

/// <summary>
/// <c>weft tasks clear</c> and the API's clear: resets finished task instances so that the next execution of the
/// run (a resume, or the scheduler) runs them again. Pure: reads a snapshot, returns a batch; the caller commits.
/// </summary>
internal static class TaskClearing
{
    /// <summary>
    /// The task ids an operator's request names, in the run's task order: <paramref name="taskIds"/> (every task
    /// when empty), only the failed and upstream_failed ones when <paramref name="onlyFailed"/>, and then, when
    /// <paramref name="includeDownstream"/>, every task downstream of those in <paramref name="dag"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A task id is not a task of the run.</exception>
    public static IReadOnlyList<string> Select(
        RunSnapshot run, DagDefinition dag, IReadOnlyCollection<string> taskIds, bool onlyFailed, bool includeDownstream)
    {
        var byId = run.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var unknown = taskIds.Where(id => !byId.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"run '{run.Run.RunId}' has no task {string.Join(", ", unknown.Select(u => $"'{u}'"))}", nameof(taskIds));
        }

        var chosen = new HashSet<string>(taskIds.Count == 0 ? byId.Keys : taskIds, StringComparer.Ordinal);
        if (onlyFailed)
        {
            chosen.RemoveWhere(id => byId[id].State is not (TaskState.Failed or TaskState.UpstreamFailed));
        }

        if (includeDownstream && chosen.Count > 0)
        {
            var graph = DagGraph.Build(dag);
            foreach (var id in chosen.ToList())
            {
                // A task the DAG no longer has cannot have downstreams in it.
                if (graph.TryGetIndex(id, out var index))
                {
                    foreach (var d in graph.Descendants(index))
                    {
                        chosen.Add(graph.Id(d));
                    }
                }
            }
        }

        return [.. run.Tasks.Select(t => t.TaskId).Where(id => chosen.Contains(id) && byId.ContainsKey(id))];
    }

    /// <summary>
    /// Resets the finished instances among <paramref name="taskIds"/> to <c>none</c>. Tasks still waiting or running
    /// are left alone: a running run keeps them, and they need no clearing. The try number stays (the next attempt
    /// is try + 1, as in Airflow, so earlier attempts and their logs stay apart) and max_tries grows so the task
    /// gets its full retries again. A run that is not running goes back to <c>queued</c> to be executed again.
    /// </summary>
    public static ClearResult Clear(RunSnapshot run, DagDefinition dag, IEnumerable<string> taskIds, DateTimeOffset now)
    {
        var wanted = new HashSet<string>(taskIds, StringComparer.Ordinal);
        var definitions = dag.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var batch = new StateBatch();
        var cleared = new List<string>();
        var tasks = new List<TaskInstanceRecord>(run.Tasks.Count);
        foreach (var inst in run.Tasks)
        {
            if (!wanted.Contains(inst.TaskId) || !inst.State.IsFinished())
            {
                tasks.Add(inst);
                continue;
            }

            var retries = definitions.TryGetValue(inst.TaskId, out var task) ? task.Retries : 0;
            var reset = inst with
            {
                State = TaskState.None,
                MaxTries = inst.TryNumber + retries + 1,
                ExitCode = null,
                StartDate = null,
                EndDate = null,
                NextRetryAt = null,
                AttemptId = null,
                Reason = null,
                Outputs = ImmutableDictionary<string, string>.Empty,
            };
            batch.TaskInstances.Add(reset);
            tasks.Add(reset);
            cleared.Add(inst.TaskId);
        }

        var record = run.Run;
        if (cleared.Count == 0)
        {
            return new ClearResult(batch, cleared, run);
        }

        // A running run is being driven by an executor that picks the cleared tasks up itself; any other run
        // waits, queued, for a resume or the scheduler. Its dates belong to the execution that comes next.
        if (record.State != RunState.Running)
        {
            record = record with { State = RunState.Queued, StartDate = null, EndDate = null };
            batch.Runs.Add(record);
        }

        batch.Events.Add(new EventRecord(
            0, now, OperatorEvents.Cleared, record.DagId, record.RunId, cleared.Count == 1 ? cleared[0] : null,
            $"cleared {cleared.Count} task{(cleared.Count == 1 ? "" : "s")}: {Names(cleared)}"));
        return new ClearResult(batch, cleared, new RunSnapshot(record, tasks));
    }

    // Events are read by people; a run of thousands of tasks gets a count, not a wall of ids.
    private static string Names(IReadOnlyList<string> ids) =>
        ids.Count <= 20 ? string.Join(", ", ids) : string.Join(", ", ids.Take(20)) + $" and {ids.Count - 20} more";
}
