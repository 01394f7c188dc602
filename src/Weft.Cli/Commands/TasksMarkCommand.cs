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
        : base("mark", "Set a task instance to success or failed; the run's state follows its tasks")
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
        var taskId = parse.GetRequiredValue(_taskId);
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        MarkOutcome result;
        try
        {
            result = await new OperatorActions(store, TimeProvider.System)
                .MarkTaskAsync(parse.GetValue(_dag), parse.GetRequiredValue(_runId), taskId, state, OperatorActor.CommandLine, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationException refused)
        {
            throw CliException.From(refused);
        }

        var run = result.Run.Run;
        if (context.Json)
        {
            RunsOutput.WriteJson(context, new JsonObject
            {
                ["dag_id"] = run.DagId,
                ["run_id"] = run.RunId,
                ["task_id"] = taskId,
                ["state"] = state.ToName(),
                ["previous_state"] = result.Previous,
                ["run_state"] = run.State.ToName(),
            });
        }
        else if (!result.Changed)
        {
            context.WriteInfo($"task '{taskId}' is already {state.ToName()}; run '{run.RunId}' is {run.State.ToName()}");
        }
        else
        {
            context.WriteInfo($"marked task '{taskId}' {state.ToName()} (was {result.Previous}); run '{run.RunId}' is {run.State.ToName()}");
        }

        return ExitCodes.Success;
    }
}
