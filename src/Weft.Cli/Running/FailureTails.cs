using Weft.Core.Runs;
using Weft.Engine.Logs;
using Weft.Engine.Storage;

namespace Weft.Cli.Running;

/// <summary>
/// Under a run's summary: the last lines of each failed task's log and the command that shows the rest, so a
/// failure says why without a second command.
/// </summary>
internal static class FailureTails
{
    private const int Lines = 10;
    private const int MostTasks = 5;

    public static async Task WriteAsync(CliContext context, RunSnapshot run, CancellationToken cancellationToken)
    {
        var failed = run.Tasks.Where(t => t.State == TaskState.Failed && t.TryNumber > 0).ToList();
        foreach (var task in failed.Take(MostTasks))
        {
            var path = TaskLogPaths.For(context.Home, run.Run.DagId, run.Run.RunId, task.TaskId, task.TryNumber);
            var tail = new Queue<string>(Lines);
            if (File.Exists(path))
            {
                await foreach (var line in TaskLogReader.ReadAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    if (tail.Count == Lines)
                    {
                        tail.Dequeue();
                    }

                    tail.Enqueue(TaskOutput.TextOf(line));
                }
            }

            var exit = task.ExitCode is { } code ? $" (exit code {code})" : "";
            context.Out.WriteLine();
            context.Out.WriteLine(tail.Count == 0
                ? $"{task.TaskId} failed{exit}; its log is empty"
                : $"{task.TaskId} failed{exit}; last lines of its log:");
            foreach (var line in tail)
            {
                context.Out.WriteLine("  | " + line);
            }

            context.Out.WriteLine($"  full log: weft logs {run.Run.RunId} {task.TaskId}" + (task.TryNumber > 1 ? $" --attempt {task.TryNumber}" : ""));
        }

        if (failed.Count > MostTasks)
        {
            context.Out.WriteLine($"… and {failed.Count - MostTasks} more failed tasks: weft runs show {run.Run.RunId}");
        }
    }
}
