using System.ComponentModel;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Engine.Json;
using Weft.Engine.Runners.Expressions;
using Weft.Engine.Runners.Processes;

namespace Weft.Engine.Runners.Python;

/// <summary>
/// <c>type: python</c> with <c>function: "package.module:func"</c>: calls the function in <c>python3</c>, with the
/// run's parameters and <c>args</c> as keyword arguments (a list of <c>args</c> is passed positionally). The DAG's
/// folder and <c>python_path</c> are on the Python path; the function's return value becomes the task's outputs.
/// </summary>
internal sealed class PythonTaskRunner : ITaskRunner
{
    /// <inheritdoc />
    public TaskType Type => TaskType.Python;

    /// <inheritdoc />
    public async Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        ProcessAttempt attempt;
        try
        {
            var scope = new ExpressionScope(context);
            var kwargs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (key, value) in task.Kwargs)
            {
                kwargs[key] = Render(value, scope);
            }

            var positional = task.Kwargs.IsEmpty ? task.Args.Select(a => scope.Render(a, forProcess: true)).ToList() : [];
            attempt = ProcessAttempt.Prepare(context, scope);
            var folders = task.PythonPath.Select(p => Path.GetFullPath(scope.Render(p), context.Dag.BaseDirectory)).Append(context.Dag.BaseDirectory);
            attempt.Environment["WEFT_PYTHON_FUNCTION"] = task.Function!;
            attempt.Environment["WEFT_PYTHON_PATH"] = string.Join(Path.PathSeparator, folders);
            attempt.Environment["WEFT_PYTHON_KWARGS"] = JsonObjects.ToText(kwargs);
            attempt.Environment["WEFT_PYTHON_ARGS"] = JsonValues.Text(w =>
            {
                w.WriteStartArray();
                positional.ForEach(w.WriteStringValue);
                w.WriteEndArray();
            });
        }
        catch (TaskSetupException e)
        {
            return TaskResult.Failed(e.Message);
        }

        var python = ProgramResolver.Find("python3", attempt.GetVariable("PATH"), attempt.WorkingDirectory);
        if (python is null)
        {
            attempt.Log.WriteLine("stderr", "python3: command not found");
            return TaskResult.Failed("python3 not found on PATH", 127);
        }

        try
        {
            var result = await attempt.RunAsync(attempt.Spec(python, ["-c", PythonBootstrap.Program], newSession: true), cancellationToken);
            return result.Outcome == TaskOutcome.Failed && result.ExitCode == 1 && result.Reason is { } reason && !reason.Contains(task.Function!, StringComparison.Ordinal)
                ? result with { Reason = $"{task.Function} raised an exception (traceback in the log); {reason}" }
                : result;
        }
        catch (Win32Exception e)
        {
            attempt.Log.WriteLine("stderr", $"{python}: {e.Message}");
            return TaskResult.Failed($"cannot execute {python}: {e.Message}", 126);
        }
    }

    /// <summary>A keyword argument with the expressions in its strings rendered.</summary>
    private static JsonElement Render(JsonElement value, ExpressionScope scope) =>
        value.GetRawText().Contains("${{", StringComparison.Ordinal) ? JsonValues.Build(w => Write(w, value, scope)) : value;

    private static void Write(Utf8JsonWriter w, JsonElement value, ExpressionScope scope)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                w.WriteStringValue(scope.Render(value.GetString()!, forProcess: true));
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(w, item, scope);
                }

                w.WriteEndArray();
                break;
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    w.WritePropertyName(property.Name);
                    Write(w, property.Value, scope);
                }

                w.WriteEndObject();
                break;
            default:
                value.WriteTo(w);
                break;
        }
    }
}
