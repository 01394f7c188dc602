using Weft.Core.Dags;

namespace Weft.Engine.Runners.Noop;

/// <summary><c>type: noop</c>: succeeds at once. Returns one cached task, so it allocates nothing.</summary>
internal sealed class NoopTaskRunner : ITaskRunner
{
    private static readonly Task<TaskResult> Done = Task.FromResult(TaskResult.Succeeded());

    /// <inheritdoc />
    public TaskType Type => TaskType.Noop;

    /// <inheritdoc />
    public Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken) => Done;
}
