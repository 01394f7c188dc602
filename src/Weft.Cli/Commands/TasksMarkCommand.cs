using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary><c>weft tasks mark RUN_ID TASK_ID success|failed</c>: sets a task instance's state by hand.</summary>
internal sealed class TasksMarkCommand : WeftCommand
{
    private readonly Argument<string> _runId = RunsLookup.RunIdArgument();

    private readonly Argument<string> _taskId = new("TASK_ID") { Description = "The task to mark" };

    private readonly Argument<string> _state = new("STATE") { Description = "success or failed" };

    private readonly Option<string?> _dag = RunsLookup.DagOption();

    public TasksMarkCommand()
        : base("mark", "Set a task instance to success or failed; the run's state follows when every task is done")
    {
        Arguments.Add(_runId);
        Arguments.Add(_taskId);
        Arguments.Add(_state);
        Options.Add(_dag);
        _state.AcceptOnlyFromAmong("success", "failed");
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var state = parse.GetRequiredValue(_state) == "success" ? TaskState.Success : TaskState.Failed;
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var run = await RunsLookup.GetRunAsync(store, parse.GetValue(_dag), parse.GetRequiredValue(_runId), cancellationToken).ConfigureAwait(false);
        var task = RunsLookup.GetTask(run, parse.GetRequiredValue(_taskId));
        var dag = await RunsLookup.LoadDagAsync(context, store, run.Run, cancellationToken).ConfigureAwait(false);

        MarkResult result;
        try
        {
            result = TaskMarking.Mark(run, dag, task.TaskId, state, DateTimeOffset.UtcNow);
        }
        catch (OperationRefusedException refused)
        {
            throw CliException.Usage(refused.Message, refused.Hint);
        }

        if (result.Changed)
        {
            await store.CommitAsync(result.Batch, cancellationToken).ConfigureAwait(false);
        }

        if (context.Json)
        {
            RunsOutput.WriteJson(context, new JsonObject
            {
                ["dag_id"] = run.Run.DagId,
                ["run_id"] = run.Run.RunId,
                ["task_id"] = task.TaskId,
                ["state"] = result.Task.State.ToName(),
                ["previous_state"] = result.Previous.ToName(),
                ["run_state"] = result.Run.State.ToName(),
            });
        }
        else if (!result.Changed)
        {
            context.WriteInfo($"task '{task.TaskId}' is already {state.ToName()}; run '{run.Run.RunId}' is {result.Run.State.ToName()}");
        }
        else
        {
            context.WriteInfo($"marked task '{task.TaskId}' {state.ToName()} (was {result.Previous.ToName()}); run '{run.Run.RunId}' is {result.Run.State.ToName()}");
        }

        return ExitCodes.Success;
    }
}
