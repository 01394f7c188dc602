using System.CommandLine;
using Weft.Core.Scheduling;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft dags next-runs DAG|FILE [--after T] [--count N]</c>: the next runs whose run time (the end of the
/// data interval) is after T. A subcommand of <c>weft dags</c>.
/// </summary>
internal sealed class DagsNextRunsCommand : WeftCommand
{
    private readonly Argument<string> _target = new("DAG|FILE")
    {
        Description = "A DAG file, or the id of a DAG in the DAGs folder",
    };

    private readonly Option<string?> _after = new("--after")
    {
        Description = "Show runs due after this date or date-time (read in the DAG's time zone without an offset) [default: now]",
        HelpName = "T",
    };

    private readonly Option<int> _count = new("--count", "-n")
    {
        Description = "How many runs",
        HelpName = "N",
        DefaultValueFactory = _ => 5,
    };

    public DagsNextRunsCommand()
        : base("next-runs", "The next runs of a DAG's schedule: logical date, data interval and when each runs")
    {
        Arguments.Add(_target);
        Options.Add(_after);
        Options.Add(_count);
        _count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 10_000)
            {
                result.AddError("--count must be between 1 and 10000");
            }
        });
    }

    protected override Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var dag = DagTargets.Load(context, parse.GetValue(_target)!);
        var after = parse.GetValue(_after) is { } t ? SchedulerTimes.Parse(t, dag.TimeZone, "--after") : DateTimeOffset.UtcNow;
        var runs = RunPlanner.NextRuns(dag, after, parse.GetValue(_count));
        var rows = runs.Select(r => new NextRun(
            SchedulerTimes.Format(r.LogicalDate), SchedulerTimes.Format(r.DataIntervalStart), SchedulerTimes.Format(r.DataIntervalEnd), SchedulerTimes.Format(r.RunAfter)))
            .ToList();

        if (context.Json)
        {
            context.WriteJson(new NextRuns(dag.Id, dag.Schedule?.Text, dag.TimeZone.Id, rows));
            return Task.FromResult(ExitCodes.Success);
        }

        if (dag.Schedule is null)
        {
            context.WriteInfo($"DAG {dag.Id} has no schedule: it runs only when triggered");
            return Task.FromResult(ExitCodes.Success);
        }

        if (rows.Count == 0)
        {
            context.WriteInfo($"DAG {dag.Id} ({dag.Schedule.Text}) has no runs after {SchedulerTimes.Format(after)}");
            return Task.FromResult(ExitCodes.Success);
        }

        context.Out.WriteLine($"{"logical_date",-26}{"data_interval_start",-26}{"data_interval_end",-26}run_after");
        foreach (var r in rows)
        {
            context.Out.WriteLine($"{r.LogicalDate,-26}{r.DataIntervalStart,-26}{r.DataIntervalEnd,-26}{r.RunAfter}");
        }

        return Task.FromResult(ExitCodes.Success);
    }

    internal sealed record NextRun(string LogicalDate, string DataIntervalStart, string DataIntervalEnd, string RunAfter);

    internal sealed record NextRuns(string DagId, string? Schedule, string Timezone, IReadOnlyList<NextRun> Runs);
}
