using Weft.Core.Dags;

namespace Weft.Engine.Execution;

/// <summary>
/// Where a run's owner has a task's attempts run. C# delegate tasks always run in the owner's process (their code lives
/// in its host), whatever the placement. A no-op task ends in the run's loop unless it names a queue: then a worker of
/// that queue takes it like any task (so it stands for a hand-off to that queue that costs nothing else).
/// </summary>
internal enum TaskPlacement
{
    /// <summary>Every task in this process (<c>weft run</c>, <c>weft backfill</c>: commands for one machine).</summary>
    Local,

    /// <summary>
    /// Tasks with a <c>queue</c> other than <c>default</c> go to workers serving it; the rest run here (<c>weft
    /// scheduler</c> and <c>weft server</c> by default).
    /// </summary>
    NamedQueues,

    /// <summary>Every task goes to workers, those without a queue to <c>default</c> (<c>--no-local-tasks</c>).</summary>
    Workers,
}

/// <summary>The rule of <see cref="TaskPlacement"/>.</summary>
internal static class TaskPlacements
{
    /// <summary>The queue every task has unless it names one.</summary>
    public const string DefaultQueue = "default";

    /// <summary>The queue the task's attempts go to under <paramref name="placement"/>, or null when they run in this process.</summary>
    public static string? QueueFor(TaskPlacement placement, TaskDefinition task)
    {
        if (placement == TaskPlacement.Local || task.Type == TaskType.Delegate
            || task.Type == TaskType.Noop && (string.IsNullOrEmpty(task.Queue) || task.Queue == DefaultQueue))
        {
            return null;
        }

        var queue = string.IsNullOrEmpty(task.Queue) ? DefaultQueue : task.Queue;
        return placement == TaskPlacement.Workers || queue != DefaultQueue ? queue : null;
    }
}
