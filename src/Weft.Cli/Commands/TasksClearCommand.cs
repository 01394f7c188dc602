using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft tasks clear RUN_ID [TASK_ID…] [--failed] [--downstream] [--yes]</c>: resets task instances so that
/// <c>weft run --resume</c> (or the scheduler) runs them again; the rules are the engine's <see cref="OperatorActions"/>.
/// </summary>
internal sealed class TasksClearCommand : WeftCommand
{
    private readonly Argument<string> _runId = RunsLookup.RunIdArgument();

    private readonly Argument<string[]> _taskIds = new("TASK_ID")
    {
        Description = "Tasks to clear [default: every task of the run]",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> _failed = new("--failed")
    {
        Description = "Only tasks that failed or are upstream_failed",
    };

    private readonly Option<bool> _downstream = new("--downstream", "-d")
    {
        Description = "Also every task downstream of the chosen ones",
    };

    private readonly Option<bool> _yes = new("--yes", "-y")
    {
        Description = "Do not ask for confirmation (asked only on a terminal)",
    };

    private readonly Option<string?> _dag = RunsLookup.DagOption();

    public TasksClearCommand()
        : base("clear", "Reset task instances of a run so they run again; then 'weft run --resume RUN_ID'")
    {
        Arguments.Add(_runId);
        Arguments.Add(_taskIds);
        Options.Add(_failed);
        Options.Add(_downstream);
        Options.Add(_yes);
        Options.Add(_dag);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var actions = new OperatorActions(store, TimeProvider.System);
        var request = new ClearRequest(
            parse.GetValue(_dag),
            parse.GetRequiredValue(_runId),
            (parse.GetValue(_taskIds) ?? []).Distinct(StringComparer.Ordinal).ToList(),
            OnlyFailed: parse.GetValue(_failed),
            Downstream: parse.GetValue(_downstream),
            DryRun: true);
        ClearOutcome result;
        try
        {
            // What would be cleared, for the question; then the clear itself, which chooses again from the rows as they are then.
            result = await actions.ClearAsync(request, OperatorActor.CommandLine, cancellationToken).ConfigureAwait(false);
            if (result.Cleared.Count > 0 && !Confirmed(context, parse.GetValue(_yes), result.Run.Run.RunId, result.Cleared))
            {
                context.WriteError("cancelled; nothing cleared");
                return ExitCodes.Failed;
            }

            if (result.Cleared.Count > 0)
            {
                result = await actions.ClearAsync(request with { DagId = result.Run.Run.DagId, DryRun = false }, OperatorActor.CommandLine, cancellationToken).ConfigureAwait(false);
            }
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
                ["cleared"] = new JsonArray([.. result.Cleared.Select(id => (JsonNode)id)]),
                ["run_state"] = run.State.ToName(),
            });
        }
        else if (result.Cleared.Count == 0)
        {
            context.WriteInfo("no task instances to clear");
        }
        else
        {
            context.WriteVerbose($"cleared: {string.Join(", ", result.Cleared)}");
            var next = run.State switch
            {
                RunState.Running => "the run is running; its executor picks them up",
                RunState.Queued => $"continue with 'weft run --resume {run.RunId}'",
                _ => $"nothing is left to run; the run is {run.State.ToName()}",
            };
            context.WriteInfo($"cleared {result.Cleared.Count} task instance{(result.Cleared.Count == 1 ? "" : "s")}; {next}");
        }

        return ExitCodes.Success;
    }

    // Asks only a person at a terminal: scripts and pipes (and --json) proceed, as they cannot answer.
    private static bool Confirmed(CliContext context, bool yes, string runId, IReadOnlyList<string> cleared)
    {
        if (yes || context.Json || Console.IsInputRedirected || Console.IsErrorRedirected)
        {
            return true;
        }

        var names = cleared.Count <= 10 ? string.Join(", ", cleared) : string.Join(", ", cleared.Take(10)) + $" and {cleared.Count - 10} more";
        context.Error.Write($"clear {cleared.Count} task instance{(cleared.Count == 1 ? "" : "s")} of run '{runId}' ({names})? [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
