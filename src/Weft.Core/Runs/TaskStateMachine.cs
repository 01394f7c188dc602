namespace Weft.Core.Runs;

/// <summary>The task state machine of the contract (section 2); transitions outside it are refused.</summary>
internal static class TaskStateMachine
{
    /// <summary>True when a task may go from <paramref name="from"/> to <paramref name="to"/>; staying put is not a transition.</summary>
    public static bool CanTransition(TaskState from, TaskState to)
    {
        if (from == to)
        {
            return false;
        }

        // An operator may mark any task success or failed.
        if (to is TaskState.Success or TaskState.Failed)
        {
            return true;
        }

        // Clearing a finished task makes it eligible again.
        if (to == TaskState.None)
        {
            return from.IsFinished();
        }

        return from switch
        {
            TaskState.None => to is TaskState.Scheduled or TaskState.Skipped or TaskState.UpstreamFailed,
            // Skipped or upstream_failed before running: a fail-fast run, or a decision taken while waiting for a slot.
            TaskState.Scheduled or TaskState.Queued =>
                to == Next(from) || to is TaskState.Skipped or TaskState.UpstreamFailed,
            TaskState.Running => to is TaskState.UpForRetry or TaskState.Skipped,
            // Skipped: a fail-fast run stops a task that waits for its next attempt, as Airflow does when a run fails.
            TaskState.UpForRetry => to is TaskState.Scheduled or TaskState.Queued or TaskState.Skipped,
            _ => false,
        };
    }

    private static TaskState Next(TaskState from) =>
        from == TaskState.Scheduled ? TaskState.Queued : TaskState.Running;
}
