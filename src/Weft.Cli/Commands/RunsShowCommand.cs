using System.CommandLine;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Json;

namespace Weft.Cli.Commands;

/// <summary><c>weft runs show RUN_ID [--dag DAG]</c>: one run and its task instances.</summary>
internal sealed class RunsShowCommand : WeftCommand
{
    private readonly Argument<string> _runId = RunsLookup.RunIdArgument();
    private readonly Option<string?> _dag = RunsLookup.DagOption();

    public RunsShowCommand()
        : base("show", "Show a run and its tasks; --json prints the contract's run JSON")
    {
        Arguments.Add(_runId);
        Options.Add(_dag);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var snapshot = await RunsLookup.GetRunAsync(store, parse.GetValue(_dag), parse.GetRequiredValue(_runId), cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            context.Out.WriteLine(RunJson.Serialize(snapshot, indented: true));
            return ExitCodes.Success;
        }

        var run = snapshot.Run;
        RunsOutput.WriteTable(context.Out, ["run", run.RunId], [
            ["dag", run.DagId],
            ["state", run.State.ToName()],
            ["type", run.RunType],
            ["logical date", RunsOutput.Time(run.LogicalDate)],
            ["data interval", run.DataIntervalStart is null ? "" : $"{RunsOutput.Time(run.DataIntervalStart)} to {RunsOutput.Time(run.DataIntervalEnd)}"],
            ["start", RunsOutput.Time(run.StartDate)],
            ["end", RunsOutput.Time(run.EndDate)],
            ["duration", RunsOutput.Duration(run.StartDate, run.EndDate)],
            ["conf", run.ConfJson],
        ]);
        context.Out.WriteLine();
        RunsOutput.WriteTable(
            context.Out,
            ["task", "state", "tries", "exit", "start", "duration", "note"],
            snapshot.Tasks.Select(t => (IReadOnlyList<string>)
            [
                t.TaskId, t.State.ToName(), $"{t.TryNumber}/{t.MaxTries}", t.ExitCode?.ToString() ?? "",
                RunsOutput.Time(t.StartDate), RunsOutput.Duration(t.StartDate, t.EndDate), t.Reason ?? "",
            ]));
        return ExitCodes.Success;
    }
}
