using System.CommandLine;
using System.Collections.Immutable;
using System.Text.Json;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft tasks replay RUN_ID TASK_ID</c>: replays a dead letter through <see cref="OperatorActions.ReplayAsync"/>
/// (the task and its downstream tasks are cleared), then runs the run on here as <c>weft run --resume</c> does,
/// unless <c>--no-run</c> leaves it to a scheduler or server.
/// </summary>
internal sealed class TasksReplayCommand : WeftCommand
{
    private readonly Argument<string> _runId = RunsLookup.RunIdArgument();

    private readonly Argument<string> _taskId = new("TASK_ID") { Description = "The task to run again, with its downstream tasks" };

    private readonly Option<string?> _dag = RunsLookup.DagOption();

    private readonly Option<bool> _noRun = new("--no-run") { Description = "Only clear; a running scheduler or server runs them" };

    public TasksReplayCommand()
        : base("replay", "Run a failed task again with its downstream tasks (clear them, then resume the run)")
    {
        Arguments.Add(_runId);
        Arguments.Add(_taskId);
        Options.Add(_dag);
        Options.Add(_noRun);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        ClearOutcome outcome;
        await using (var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                outcome = await new OperatorActions(store, TimeProvider.System)
                    .ReplayAsync(parse.GetValue(_dag), parse.GetRequiredValue(_runId), parse.GetRequiredValue(_taskId), OperatorActor.CommandLine, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationException refused)
            {
                throw CliException.From(refused);
            }
        }

        var run = outcome.Run.Run;
        if (!context.Json)
        {
            context.WriteInfo($"replaying {string.Join(", ", outcome.Cleared)} of run {run.RunId}");
        }

        if (parse.GetValue(_noRun) || run.State != RunState.Queued)
        {
            if (!context.Json)
            {
                context.WriteInfo(run.State == RunState.Queued ? $"continue with 'weft run --resume {run.RunId}'" : "the run's executor picks them up");
            }
            else
            {
                context.Out.WriteLine(JsonSerializer.Serialize(outcome.Cleared.ToList(), CliJson.Options.TypeInfo<List<string>>()));
            }

            return ExitCodes.Success;
        }

        return await RunCommand.ExecuteRunAsync(
            context,
            new RunRequest(null, ImmutableDictionary<string, JsonElement>.Empty, null, Path.GetFullPath("tasks"), run.RunId),
            cancellationToken).ConfigureAwait(false);
    }
}
