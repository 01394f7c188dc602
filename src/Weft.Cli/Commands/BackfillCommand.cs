using System.CommandLine;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Runners;
using Weft.Engine.Scheduling;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft backfill DAG --from T --to T [--rerun-failed]</c>: one run per interval whose logical date lies in the
/// range (inclusive), executed here, at most <c>max_active_runs</c> at once; then a summary.
/// </summary>
internal sealed class BackfillCommand : WeftCommand
{
    private readonly Argument<string> _dag = new("DAG|FILE")
    {
        Description = "The id of a DAG in the DAGs folder, or a DAG file",
    };

    private readonly Option<string> _from = new("--from")
    {
        Description = "First logical date (a date, or a date-time; without an offset, in the DAG's time zone)",
        HelpName = "T",
        Required = true,
    };

    private readonly Option<string> _to = new("--to")
    {
        Description = "Last logical date, inclusive",
        HelpName = "T",
        Required = true,
    };

    private readonly Option<bool> _rerunFailed = new("--rerun-failed")
    {
        Description = "Clear failed runs in the range and run them again",
    };

    private readonly Option<string?> _tasksDir = new("--tasks-dir")
    {
        Description = "Folder where relative script paths are looked up first [default: ./tasks]",
        HelpName = "DIR",
    };

    public BackfillCommand()
        : base("backfill", "Create and run one run per schedule interval in a range of logical dates")
    {
        Arguments.Add(_dag);
        Options.Add(_from);
        Options.Add(_to);
        Options.Add(_rerunFailed);
        Options.Add(_tasksDir);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var dag = DagTargets.Load(context, parse.GetValue(_dag)!);
        if (dag.Schedule is null)
        {
            throw CliException.Usage($"DAG {dag.Id} has no schedule, so it has no intervals to backfill", "trigger single runs with 'weft dags trigger' or 'weft run'");
        }

        var from = SchedulerTimes.Parse(parse.GetValue(_from)!, dag.TimeZone, "--from");
        var to = SchedulerTimes.Parse(parse.GetValue(_to)!, dag.TimeZone, "--to");
        if (to < from)
        {
            throw CliException.Usage($"--to ({SchedulerTimes.Format(to)}) is before --from ({SchedulerTimes.Format(from)})");
        }

        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var logger = SchedulerLogger.For(context);
        await using var executor = await Executor.StartAsync(
            store,
            new ExecutorSettings
            {
                Kind = "backfill",
                Home = context.Home,
                TasksDir = Path.GetFullPath(parse.GetValue(_tasksDir) ?? "tasks"),
                Parallelism = SchedulerCommand.DefaultParallelism,
            },
            TimeProvider.System,
            logger,
            cancellationToken).ConfigureAwait(false);
        var runner = new BackfillRunner(executor, TimeProvider.System, logger);
        IReadOnlyList<BackfillOutcome> outcomes;
        try
        {
            var dagFile = Path.GetFullPath(dag.SourceFile ?? parse.GetValue(_dag)!);
            outcomes = await runner.RunAsync(dag, from, to, parse.GetValue(_rerunFailed), dagFile, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message.Split(" (Parameter", 2)[0]);
        }

        Report(context, dag.Id, outcomes);
        if (cancellationToken.IsCancellationRequested)
        {
            context.WriteError("backfill interrupted", "run the same backfill again to continue it");
            return 130;
        }

        return outcomes.Any(o => o.Action != BackfillAction.Kept && o.State == RunState.Failed) ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static void Report(CliContext context, string dagId, IReadOnlyList<BackfillOutcome> outcomes)
    {
        if (context.Json)
        {
            context.WriteJson(new BackfillJson(dagId, [.. outcomes.Select(o => new BackfillRunJson(
                o.RunId,
                SchedulerTimes.Format(o.Planned.LogicalDate),
                SchedulerTimes.Format(o.Planned.DataIntervalStart),
                SchedulerTimes.Format(o.Planned.DataIntervalEnd),
                o.Action.ToString().ToLowerInvariant(),
                o.State.ToName(),
                o.Note))]));
            return;
        }

        if (outcomes.Count == 0)
        {
            context.WriteInfo($"backfill {dagId}: no interval starts in the range");
            return;
        }

        if (!context.Quiet)
        {
            foreach (var o in outcomes)
            {
                var action = o.Action.ToString().ToLowerInvariant();
                context.Out.WriteLine($"{o.RunId,-40} {action,-8} {o.State.ToName(),-8}{(o.Note is null ? "" : "  " + o.Note)}");
            }
        }

        var ran = outcomes.Where(o => o.Action != BackfillAction.Kept).ToList();
        context.WriteInfo(
            $"backfill {dagId}: {outcomes.Count} interval(s); ran {ran.Count}: {ran.Count(o => o.State == RunState.Success)} success, " +
            $"{ran.Count(o => o.State == RunState.Failed)} failed; kept {outcomes.Count - ran.Count} existing run(s)");
    }

    internal sealed record BackfillJson(string DagId, IReadOnlyList<BackfillRunJson> Runs);

    internal sealed record BackfillRunJson(
        string RunId, string LogicalDate, string DataIntervalStart, string DataIntervalEnd, string Action, string State, string? Note);
}
