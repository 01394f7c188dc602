using Weft.Engine.Execution;
using Weft.Engine.Logs;
using Weft.Engine.Storage;

namespace Weft.Cli.Running;

/// <summary>
/// <c>weft run --output</c>: every task's output as it is written, each line prefixed with the task's id, as
/// <c>docker compose up</c> shows its services. The attempt's log file is followed (the executor writes it, already
/// masked), from its start until the attempt ends. Passes every event on to the progress display too.
/// </summary>
internal sealed class TaskOutput(CliContext context, string dagId, string runId, int width, RunProgress progress) : IRunObserver
{
    private static readonly string[] Colors = ["\e[36m", "\e[33m", "\e[32m", "\e[35m", "\e[34m", "\e[96m", "\e[93m", "\e[92m"];
    private readonly Lock _lock = new();
    private readonly List<Task> _followers = [];
    private readonly Dictionary<(string Task, int Try), TaskCompletionSource<TaskInstanceRecord?>> _ends = [];
    private readonly Dictionary<string, string> _colors = new(StringComparer.Ordinal);
    private readonly bool _color = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly CancellationTokenSource _stop = new();

    public void TaskStarted(TaskInstanceRecord task)
    {
        progress.TaskStarted(task);
        var end = new TaskCompletionSource<TaskInstanceRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var path = TaskLogPaths.For(context.Home, dagId, runId, task.TaskId, task.TryNumber);
        lock (_lock)
        {
            _ends[(task.TaskId, task.TryNumber)] = end;
            _followers.Add(Task.Run(() => FollowAsync(task.TaskId, path, end.Task)));
        }
    }

    public void TaskFinished(TaskInstanceRecord task)
    {
        lock (_lock)
        {
            // The follower reports the end once it has printed the last lines, so the two never cross.
            if (_ends.Remove((task.TaskId, task.TryNumber), out var end))
            {
                end.TrySetResult(task);
                return;
            }
        }

        progress.TaskFinished(task);
    }

    public void RunFinished(RunSnapshot run) => progress.RunFinished(run);

    /// <summary>Reads what is left of every log, then returns: the summary comes after the last line.</summary>
    public async Task StopAsync()
    {
        Task[] followers;
        lock (_lock)
        {
            foreach (var end in _ends.Values)
            {
                end.TrySetResult(null);
            }

            followers = [.. _followers];
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using var _ = timeout.Token.Register(_stop.Cancel);
        await Task.WhenAll(followers).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task FollowAsync(string taskId, string path, Task<TaskInstanceRecord?> ended)
    {
        try
        {
            await foreach (var line in TaskLogReader.FollowAsync(path, () => ended.IsCompleted, TimeSpan.FromMilliseconds(100), _stop.Token).ConfigureAwait(false))
            {
                Write(taskId, TextOf(line));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException ex)
        {
            Write(taskId, $"(log unreadable: {ex.Message})");
        }

        if (ended.IsCompleted && await ended.ConfigureAwait(false) is { } finished)
        {
            lock (_lock)
            {
                progress.TaskFinished(finished);
            }
        }
    }

    private void Write(string taskId, string text)
    {
        lock (_lock)
        {
            var prefix = taskId.PadRight(width) + " | ";
            if (_color)
            {
                if (!_colors.TryGetValue(taskId, out var color))
                {
                    color = _colors[taskId] = Colors[_colors.Count % Colors.Length];
                }

                context.Out.WriteLine(color + prefix + "\e[0m" + text);
            }
            else
            {
                context.Out.WriteLine(prefix + text);
            }
        }
    }

    /// <summary>A log line without its time and stream tag: <c>2026-01-01T00:00:00.000Z [stdout] text</c> → <c>text</c>.</summary>
    internal static string TextOf(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && line.Length > space + 1 && line[space + 1] == '[')
        {
            var close = line.IndexOf("] ", space, StringComparison.Ordinal);
            if (close > 0)
            {
                var tag = line[(space + 2)..close];
                return tag == "stdout" ? line[(close + 2)..] : $"[{tag}] " + line[(close + 2)..];
            }
        }

        return line;
    }
}
