using System.ComponentModel;
using Weft.Core.Dags;
using Weft.Engine.Runners.Expressions;
using Weft.Engine.Runners.Processes;

namespace Weft.Engine.Runners.Shell;

/// <summary>How the shell runner starts commands; the defaults are what the engine uses.</summary>
/// <param name="DirectStart">Start commands without shell syntax directly rather than through bash.</param>
/// <param name="DirectStartInOwnSession">Give directly started programs a process group of their own, as bash
/// commands get; costs one extra exec per task.</param>
internal sealed record ShellRunnerOptions(bool DirectStart = true, bool DirectStartInOwnSession = false);

/// <summary>
/// <c>type: shell</c>: runs <c>command</c> with <c>/bin/bash -eo pipefail -c</c>, as GitHub Actions does, or starts
/// the program directly when the command has no shell syntax. Substituted values reach bash through environment
/// variables (<c>"$WEFT_V_1"</c>), so no value is ever read as shell text and none is on bash's command line.
/// </summary>
internal sealed class ShellTaskRunner(ShellRunnerOptions? options = null) : ITaskRunner
{
    private const string Bash = "/bin/bash";
    private readonly ShellRunnerOptions _options = options ?? new ShellRunnerOptions();

    /// <inheritdoc />
    public TaskType Type => TaskType.Shell;

    /// <inheritdoc />
    public async Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(context.Task.Command))
        {
            return TaskResult.Failed("the shell task has no command");
        }

        string command;
        ProcessAttempt attempt;
        try
        {
            var scope = new ExpressionScope(context);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            command = scope.RenderShell(context.Task.Command, values);
            attempt = ProcessAttempt.Prepare(context, scope);
            foreach (var (name, value) in values)
            {
                attempt.Environment[name] = value;
            }
        }
        catch (TaskSetupException e)
        {
            return TaskResult.Failed(e.Message);
        }

        if (_options.DirectStart
            && PlainCommand.TryGetWords(command, out var words)
            && ProgramResolver.Find(words[0], attempt.GetVariable("PATH"), attempt.WorkingDirectory) is { } program)
        {
            try
            {
                return await attempt.RunAsync(attempt.Spec(program, words[1..], _options.DirectStartInOwnSession), cancellationToken);
            }
            catch (Win32Exception)
            {
                // The file cannot be exec'd (no #! line, or it vanished): bash knows what to do, or how to say so.
            }
        }

        // A program that is not on PATH also lands here: bash prints "command not found" and exits 127.
        try
        {
            return await attempt.RunAsync(attempt.Spec(Bash, ["-eo", "pipefail", "-c", command], newSession: true), cancellationToken);
        }
        catch (Win32Exception e)
        {
            attempt.Log.WriteLine("stderr", $"{Bash}: {e.Message}");
            return TaskResult.Failed($"cannot start {Bash}: {e.Message}", 127);
        }
    }
}
