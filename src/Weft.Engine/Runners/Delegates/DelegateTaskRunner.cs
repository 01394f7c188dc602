using Weft.Core.Dags;

namespace Weft.Engine.Runners.Delegates;

/// <summary>A C# delegate task: calls the delegate with a <see cref="DelegateTaskContext"/>.</summary>
internal sealed class DelegateTaskRunner : ITaskRunner
{
    /// <inheritdoc />
    public TaskType Type => TaskType.Delegate;

    /// <inheritdoc />
    public async Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken)
    {
        if (context.Task.Delegate is not { } body)
        {
            return TaskResult.Failed("the task has no delegate");
        }

        var taskContext = new DelegateTaskContext(context);
        try
        {
            // WaitAsync: a delegate that ignores its token cannot be killed like a process, but the attempt still
            // ends on time; the delegate runs on unobserved until it returns.
            await body(taskContext, cancellationToken).WaitAsync(cancellationToken);
            return TaskResult.Succeeded(taskContext.Outputs);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return TaskResult.Failed("cancelled");
        }
        catch (Exception e)
        {
            // The reason is what a user reads in a table; the stack belongs in the log.
            context.Log.WriteLine("stderr", e.ToString());
            return TaskResult.Failed(e.Message, null, taskContext.Outputs);
        }
    }
}
