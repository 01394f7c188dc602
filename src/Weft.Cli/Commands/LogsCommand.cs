using System.CommandLine;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Logs;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft logs RUN_ID TASK_ID [--attempt N] [--follow]</c>: a task attempt's log.</summary>
internal sealed class LogsCommand : WeftCommand
{
    private static readonly TimeSpan StatePoll = TimeSpan.FromMilliseconds(200);

    private readonly Argument<string> _runId = RunsLookup.RunIdArgument();

    private readonly Argument<string> _taskId = new("TASK_ID") { Description = "The task whose log to print" };

    private readonly Option<int> _attempt = new("--attempt", "-a")
    {
        Description = "Which attempt (try number, from 1) [default: the task's current try]",
        HelpName = "N",
    };

    private readonly Option<bool> _follow = new("--follow", "-f")
    {
        Description = "Keep printing new lines until the attempt ends; waits for a task that has not started yet",
    };

    private readonly Option<string?> _dag = RunsLookup.DagOption();

    private readonly Option<string?> _server = new("--server")
    {
        Description = "Read the log through a server's API instead of the database (needs --dag); --follow then streams it as it is written",
        HelpName = "URL",
    };

    private readonly Option<string?> _token = new("--token")
    {
        Description = "An API token for --server (any role) [default: WEFT_TOKEN]",
        HelpName = "TOKEN",
    };

    public LogsCommand()
        : base("logs", "Print a task attempt's log; --follow prints new lines as they are written")
    {
        Arguments.Add(_runId);
        Arguments.Add(_taskId);
        Options.Add(_attempt);
        Options.Add(_follow);
        Options.Add(_dag);
        Options.Add(_server);
        Options.Add(_token);
        _attempt.Validators.Add(result =>
        {
            // Read from the token: a value that is not a number is already a parse error, reported as such.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var attempt) && attempt < 1)
            {
                result.AddError("--attempt must be at least 1");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        if (parse.GetValue(_server) is { } url)
        {
            return await RemoteAsync(context, url, cancellationToken).ConfigureAwait(false);
        }

        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var run = await RunsLookup.GetRunAsync(store, parse.GetValue(_dag), parse.GetRequiredValue(_runId), cancellationToken).ConfigureAwait(false);
        var task = RunsLookup.GetTask(run, parse.GetRequiredValue(_taskId));
        var follow = parse.GetValue(_follow);

        // Following a task that waits for its next attempt means following that attempt once it starts.
        var attempt = parse.GetResult(_attempt) is not null ? parse.GetValue(_attempt)
            : (follow && IsWaiting(task, run.Run) ? task.TryNumber + 1 : task.TryNumber);
        if (attempt == 0)
        {
            context.WriteVerbose($"task '{task.TaskId}' has not run yet ({task.State.ToName()})");
            return ExitCodes.Success;
        }

        if (attempt > task.TryNumber + (follow ? 1 : 0))
        {
            throw new CliException(
                ExitCodes.Failed,
                $"task '{task.TaskId}' has no attempt {attempt}; it has had {task.TryNumber}",
                task.TryNumber > 0 ? $"attempts are numbered 1 to {task.TryNumber}" : null);
        }

        var path = await LogPathAsync(context, store, task, attempt, cancellationToken).ConfigureAwait(false);
        if (!follow || Ended(task, run.Run, attempt))
        {
            // An attempt a worker ran elsewhere has its log in the database.
            var stored = new StoredAttemptLog(store, task.DagId, task.RunId, task.TaskId, attempt);
            if (!File.Exists(path) && await stored.ReadAsync(0, cancellationToken).ConfigureAwait(false) is null)
            {
                context.WriteVerbose($"attempt {attempt} of task '{task.TaskId}' wrote no log ({path} does not exist)");
                return ExitCodes.Success;
            }

            await foreach (var line in TaskLogReader.ReadAsync(path, stored, cancellationToken).ConfigureAwait(false))
            {
                context.Out.WriteLine(line);
            }

            return ExitCodes.Success;
        }

        await FollowAsync(context, store, task, attempt, path, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private Task<int> RemoteAsync(CliContext context, string url, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var server = ServerApi.Url(url);
        var dag = parse.GetValue(_dag)
            ?? throw CliException.Usage("--server needs --dag DAG", "the API addresses a run by its DAG: weft logs RUN_ID TASK_ID --server URL --dag DAG");
        var token = ServerApi.Token(parse.GetValue(_token), "any role can read logs: 'weft tokens create --name me --role viewer'");
        int? attempt = parse.GetResult(_attempt) is not null ? parse.GetValue(_attempt) : null;
        return RemoteLogs.RunAsync(context, server, token, dag, parse.GetRequiredValue(_runId), parse.GetRequiredValue(_taskId), attempt, parse.GetValue(_follow), cancellationToken);
    }

    // Polls the task instance in the background; the reader asks a flag, which must not wait on the database.
    private static async Task FollowAsync(CliContext context, IStateStore store, TaskInstanceRecord task, int attempt, string path, CancellationToken cancellationToken)
    {
        context.WriteVerbose($"following attempt {attempt} of task '{task.TaskId}' ({path})");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ended = 0;
        var watch = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = await store.GetRunAsync(task.DagId, task.RunId, stop.Token).ConfigureAwait(false);
                var current = now?.Tasks.FirstOrDefault(t => t.TaskId == task.TaskId);
                if (now is null || current is null || Ended(current, now.Run, attempt))
                {
                    Volatile.Write(ref ended, 1);
                    return;
                }

                await Task.Delay(StatePoll, stop.Token).ConfigureAwait(false);
            }
        }, stop.Token);

        try
        {
            await foreach (var line in TaskLogReader.FollowAsync(path, new StoredAttemptLog(store, task.DagId, task.RunId, task.TaskId, attempt), () => Volatile.Read(ref ended) == 1 || watch.IsFaulted, StatePoll, cancellationToken).ConfigureAwait(false))
            {
                context.Out.WriteLine(line);
                context.Out.Flush();
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await watch.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose; a database failure while watching is not caught and ends the command.
            }
        }
    }

    // The attempt has ended once the task moved past it, or stopped running it; an attempt that has not started
    // yet ends without starting when the task finishes (skipped, upstream_failed) or the run is over.
    private static bool Ended(TaskInstanceRecord task, RunRecord run, int attempt) =>
        task.TryNumber > attempt
        || (task.TryNumber == attempt && task.State != TaskState.Running)
        || (task.TryNumber < attempt && (task.State.IsFinished() || run.State is RunState.Success or RunState.Failed));

    private static bool IsWaiting(TaskInstanceRecord task, RunRecord run) =>
        task.State is TaskState.None or TaskState.Scheduled or TaskState.Queued or TaskState.UpForRetry
        && run.State is RunState.Queued or RunState.Running;

    // The attempt records where its log went (a worker may have another home); the usual place otherwise.
    private static async Task<string> LogPathAsync(CliContext context, IStateStore store, TaskInstanceRecord task, int attempt, CancellationToken cancellationToken)
    {
        var attempts = await store.GetAttemptsAsync(task.DagId, task.RunId, task.TaskId, cancellationToken).ConfigureAwait(false);
        var recorded = attempts.LastOrDefault(a => a.TryNumber == attempt)?.LogPath;
        var local = TaskLogPaths.For(context.Home, task.DagId, task.RunId, task.TaskId, attempt);
        return recorded is not null && (File.Exists(recorded) || !File.Exists(local)) ? recorded : local;
    }
}
