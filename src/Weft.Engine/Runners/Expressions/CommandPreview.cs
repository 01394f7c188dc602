using Weft.Core.Dags;
using Weft.Engine.Execution;
using Weft.Engine.Secrets;
using Weft.Engine.Storage;

namespace Weft.Engine.Runners.Expressions;

/// <summary>
/// A task's command as its attempt runs it, for people to read: each <c>${{ … }}</c> replaced by its value in the
/// run (bash itself receives the values as environment variables, so none is read as shell text), with every secret
/// value masked. Shell tasks show their command, script tasks their script and arguments; other types have none.
/// </summary>
internal static class CommandPreview
{
    /// <summary>The rendered command of <paramref name="taskId"/> at try <paramref name="attempt"/>, or null when the task has no command.</summary>
    /// <param name="secrets">Looks up a secret's value, so the preview is rendered as the attempt was; the result is masked.</param>
    public static string? Render(DagDefinition dag, RunSnapshot run, string taskId, int attempt, Func<string, string?> secrets, SecretMasker masker)
    {
        var task = dag.Tasks.FirstOrDefault(t => t.Id == taskId);
        var template = task?.Type switch
        {
            TaskType.Shell => task.Command,
            TaskType.Script when task.Script is { } script => string.Join(' ', task.Args.Prepend(script).Select(Quoted)),
            _ => null,
        };
        if (task is null || template is null)
        {
            return null;
        }

        var context = new TaskExecutionContext
        {
            Dag = dag,
            Task = task,
            RunId = run.Run.RunId,
            Attempt = Math.Max(1, attempt),
            LogicalDate = run.Run.LogicalDate,
            DataIntervalStart = run.Run.DataIntervalStart,
            DataIntervalEnd = run.Run.DataIntervalEnd,
            Params = RunFactory.EffectiveParams(dag, RunFactory.ParseConf(run.Run.ConfJson)),
            Outputs = run.Tasks.ToDictionary(t => t.TaskId, t => t.Outputs, StringComparer.Ordinal),
            States = run.Tasks.ToDictionary(t => t.TaskId, t => t.State, StringComparer.Ordinal),
            Secrets = secrets,
            TmpDir = "",
            TasksDir = "",
            Log = NoLog.Instance,
        };
        try
        {
            var scope = new ExpressionScope(context);
            var rendered = masker.Mask(scope.Render(template));
            // Masked with the values this rendering handed out too, in case the masker predates them.
            return new SecretMasker(scope.SecretValues).Mask(rendered);
        }
        catch (TaskSetupException)
        {
            // An expression that does not resolve now (a secret since deleted): the command as written says more than nothing.
            return template;
        }
    }

    private static string Quoted(string word) =>
        word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private sealed class NoLog : ITaskLog
    {
        public static NoLog Instance { get; } = new();

        public string Path => "";

        public void WriteLine(string stream, string line)
        {
        }
    }
}
