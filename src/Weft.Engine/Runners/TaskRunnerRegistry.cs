using Weft.Core.Dags;
using Weft.Engine.Runners.Delegates;
using Weft.Engine.Runners.Http;
using Weft.Engine.Runners.Noop;
using Weft.Engine.Runners.Script;
using Weft.Engine.Runners.Shell;

namespace Weft.Engine.Runners;

/// <summary>The runner for each task type.</summary>
internal sealed class TaskRunnerRegistry
{
    private readonly ITaskRunner?[] _byType = new ITaskRunner?[Enum.GetValues<TaskType>().Length];

    /// <summary>A registry with the given runners; a later runner for the same type replaces an earlier one.</summary>
    public TaskRunnerRegistry(IEnumerable<ITaskRunner> runners)
    {
        foreach (var runner in runners)
        {
            _byType[(int)runner.Type] = runner;
        }
    }

    /// <summary>The built-in runners: shell, script, http, noop, python functions and C# delegates.</summary>
    public static TaskRunnerRegistry CreateDefault() =>
        new([new NoopTaskRunner(), new ShellTaskRunner(), new ScriptTaskRunner(), new HttpTaskRunner(), new DelegateTaskRunner(), new Python.PythonTaskRunner()]);

    /// <summary>The runner for a type.</summary>
    /// <exception cref="InvalidOperationException">No runner handles the type.</exception>
    public ITaskRunner Get(TaskType type) =>
        (uint)type < (uint)_byType.Length && _byType[(int)type] is { } runner
            ? runner
            : throw new InvalidOperationException($"no runner for task type {type}");

    /// <summary>Runs one attempt with the runner for its task's type.</summary>
    public Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken) =>
        Get(context.Task.Type).RunAsync(context, cancellationToken);
}
