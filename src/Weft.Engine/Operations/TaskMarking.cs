using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>What marking changed: the rows to commit (empty when the task already had the state), and the results.</summary>
internal sealed record MarkResult(StateBatch Batch, TaskInstanceRecord Task, RunRecord Run, TaskState Previous)
{
    /// <summary>False when the task already had the state asked for.</summary>
    public bool Changed => !Batch.IsEmpty;
}

/// <summary>
/// <c>weft tasks mark</c> and the API's task PATCH: an operator sets a task instance to success or failed by hand.
/// Downstream tasks are not touched (as in Airflow); clearing is how they run again. Pure: the caller commits.
/// </summary>
internal static class TaskMarking
{
    /// <summary>
    /// Sets the task's state and records an event. When every task of the run is then finished, the run's state
    /// is recomputed by the contract's rule (failed when a leaf is failed or upstream_failed, or a critical task
    /// failed; else success).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> is not success or failed, or the run has no such task.</exception>
    /// <exception cref="OperationRefusedException">The task is running: its attempt would overwrite the mark when it ends.</exception>
    public static MarkResult Mark(RunSnapshot run, DagDefinition dag, string taskId, TaskState state, DateTimeOffset now)
    {
        if (state is not (TaskState.Success or TaskState.Failed))
        {
            throw new ArgumentException($"a task can be marked success or failed, not {state.ToName()}", nameof(state));
        }

        var index = IndexOf(run, taskId);
        var inst = run.Tasks[index];
        var batch = new StateBatch();
        if (inst.State == state)
        {
            return new MarkResult(batch, inst, run.Run, inst.State);
        }

        if (inst.State == TaskState.Running)
        {
            throw new OperationRefusedException(
                $"task '{taskId}' is running; its attempt would overwrite the mark when it ends",
                "wait for the attempt to end, or stop the run, then mark it");
        }

        var marked = inst with
        {
            State = state,
            StartDate = inst.StartDate ?? now,
            EndDate = now,
            NextRetryAt = null,
            Reason = $"marked {state.ToName()} by an operator",
        };
        batch.TaskInstances.Add(marked);
        batch.Events.Add(new EventRecord(
            0, now, OperatorEvents.Marked, inst.DagId, inst.RunId, taskId, $"marked {state.ToName()} (was {inst.State.ToName()})"));

        var tasks = run.Tasks.ToArray();
        tasks[index] = marked;
        var record = run.Run;
        if (FinalState(dag, tasks) is { } final && (record.State != final || record.EndDate is null))
        {
            record = record with { State = final, StartDate = record.StartDate ?? now, EndDate = record.EndDate ?? now };
            batch.Runs.Add(record);
        }

        return new MarkResult(batch, marked, record, inst.State);
    }

    // The run's state when every task is finished; null while some task can still run.
    private static RunState? FinalState(DagDefinition dag, IReadOnlyList<TaskInstanceRecord> tasks)
    {
        if (tasks.Any(t => !t.State.IsFinished()))
        {
            return null;
        }

        var coordinator = new RunCoordinator(dag, tasks.ToDictionary(t => t.TaskId, t => t.State, StringComparer.Ordinal));
        return coordinator.FinalState;
    }

    private static int IndexOf(RunSnapshot run, string taskId)
    {
        for (var i = 0; i < run.Tasks.Count; i++)
        {
            if (run.Tasks[i].TaskId == taskId)
            {
                return i;
            }
        }

        throw new ArgumentException($"run '{run.Run.RunId}' has no task '{taskId}'", nameof(taskId));
    }
}
