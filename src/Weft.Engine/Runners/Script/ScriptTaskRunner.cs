using System.ComponentModel;
using Weft.Core.Dags;
using Weft.Engine.Runners.Expressions;
using Weft.Engine.Runners.Processes;

namespace Weft.Engine.Runners.Script;

/// <summary>
/// <c>type: script</c>: runs a script file with <c>args</c>; <c>.py</c> with python3, <c>.sh</c> with bash, anything
/// else as a program. A relative path is looked up in the tasks folder, then in the DAG file's folder.
/// </summary>
internal sealed class ScriptTaskRunner : ITaskRunner
{
    /// <inheritdoc />
    public TaskType Type => TaskType.Script;

    /// <inheritdoc />
    public async Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(context.Task.Script))
        {
            return TaskResult.Failed("the script task has no script");
        }

        ProcessAttempt attempt;
        string script;
        List<string> arguments;
        try
        {
            var scope = new ExpressionScope(context);
            script = Locate(scope.Render(context.Task.Script), context);
            arguments = new List<string>(context.Task.Args.Length + 1);
            foreach (var arg in context.Task.Args)
            {
                arguments.Add(scope.Render(arg, forProcess: true));
            }

            attempt = ProcessAttempt.Prepare(context, scope);
        }
        catch (TaskSetupException e)
        {
            return TaskResult.Failed(e.Message);
        }

        var interpreter = Path.GetExtension(script).ToLowerInvariant() switch
        {
            ".py" => "python3",
            ".sh" => "bash",
            _ => null,
        };
        string program;
        if (interpreter is null)
        {
            program = script;
        }
        else
        {
            program = ProgramResolver.Find(interpreter, attempt.GetVariable("PATH"), attempt.WorkingDirectory) ?? string.Empty;
            if (program.Length == 0)
            {
                attempt.Log.WriteLine("stderr", $"{interpreter}: command not found");
                return TaskResult.Failed($"{interpreter} not found on PATH", 127);
            }

            arguments.Insert(0, script);
        }

        try
        {
            // Scripts are where children and grandchildren come from, so they always get their own process group.
            return await attempt.RunAsync(attempt.Spec(program, arguments, newSession: true), cancellationToken);
        }
        catch (Win32Exception e)
        {
            // Not executable, or no interpreter on its #! line: the codes a shell gives for the same.
            var code = File.Exists(script) ? 126 : 127;
            attempt.Log.WriteLine("stderr", $"{script}: {e.Message}");
            return TaskResult.Failed($"cannot execute {script}: {e.Message}", code);
        }
    }

    private static string Locate(string script, TaskExecutionContext context)
    {
        if (Path.IsPathRooted(script))
        {
            return File.Exists(script) ? script : throw new TaskSetupException($"script not found: {script}");
        }

        string[] tried = [Path.GetFullPath(script, context.TasksDir), Path.GetFullPath(script, context.Dag.BaseDirectory)];
        return tried.FirstOrDefault(File.Exists)
            ?? throw new TaskSetupException($"script not found: '{script}' (tried {string.Join(" and ", tried.Distinct())})");
    }
}
