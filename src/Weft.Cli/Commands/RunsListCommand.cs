using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft runs list [DAG] [--state S] [--limit N]</c>: runs, newest first.</summary>
internal sealed class RunsListCommand : WeftCommand
{
    private readonly Argument<string?> _dag = new("DAG")
    {
        Description = "Only the runs of this DAG",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _state = new("--state")
    {
        Description = "Only runs in this state: queued, running, success or failed",
        HelpName = "STATE",
    };

    private readonly Option<int> _limit = new("--limit", "-n")
    {
        Description = "Most runs to list",
        HelpName = "N",
        DefaultValueFactory = _ => 25,
    };

    public RunsListCommand()
        : base("list", "List runs, newest first")
    {
        Arguments.Add(_dag);
        Options.Add(_state);
        Options.Add(_limit);
        _state.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } s && !StateNames.TryParseRunState(s, out _))
            {
                result.AddError($"unknown run state '{s}'; use queued, running, success or failed");
            }
        });
        _limit.Validators.Add(result =>
        {
            // Read from the token: a value that is not a number is already a parse error, reported as such.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var limit) && limit < 1)
            {
                result.AddError("--limit must be at least 1");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        RunState? state = parse.GetValue(_state) is { } name && StateNames.TryParseRunState(name, out var s) ? s : null;
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var page = await store.ListRunsAsync(new RunQuery(parse.GetValue(_dag), state, parse.GetValue(_limit)), cancellationToken).ConfigureAwait(false);

        if (context.Json)
        {
            var runs = new JsonArray([.. page.Items.Select(r => (JsonNode)RunsOutput.RunWithoutTasks(r))]);
            RunsOutput.WriteJson(context, new JsonObject { ["dag_runs"] = runs, ["total_entries"] = page.TotalEntries });
            return ExitCodes.Success;
        }

        if (page.Items.Count == 0)
        {
            context.WriteInfo("no runs");
            return ExitCodes.Success;
        }

        RunsOutput.WriteTable(
            context.Out,
            ["run id", "dag", "state", "type", "logical date", "start", "duration"],
            page.Items.Select(r => (IReadOnlyList<string>)
            [
                r.RunId, r.DagId, Interrupted(r) ? "interrupted" : r.State.ToName(), r.RunType, RunsOutput.Time(r.LogicalDate), RunsOutput.Time(r.StartDate),
                Interrupted(r) ? "" : RunsOutput.Duration(r.StartDate, r.EndDate),
            ]));
        if (page.Items.Any(Interrupted))
        {
            context.WriteInfo("interrupted: running, but no process executes it now; continue with 'weft run --resume RUN_ID'");
        }

        if (page.TotalEntries > page.Items.Count)
        {
            context.WriteInfo($"{page.Items.Count} of {page.TotalEntries} runs; --limit shows more");
        }

        return ExitCodes.Success;
    }

    // Recorded as running (the contract's state, which --json keeps) with no owner: stopped by Ctrl+C or a crash.
    private static bool Interrupted(RunRecord run) => run.State == RunState.Running && run.Owner is null;
}
