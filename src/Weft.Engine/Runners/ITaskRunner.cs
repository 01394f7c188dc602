using Weft.Core.Dags;

namespace Weft.Engine.Runners;

/// <summary>Runs one attempt of one kind of task.</summary>
internal interface ITaskRunner
{
    /// <summary>The task type this runner handles.</summary>
    TaskType Type { get; }

    /// <summary>
    /// Runs the attempt to its end. Cancellation (a timeout or a stop) kills whatever the attempt started,
    /// its whole process tree included, and returns a failed result rather than throwing.
    /// </summary>
    Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken);
}
