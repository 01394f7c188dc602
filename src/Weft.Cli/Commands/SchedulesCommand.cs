using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft schedules</c>: every DAG with a schedule, the schedule in words, its next run, its last run and whether it
/// is paused (what Featherflow's <c>schedule list</c> shows).
/// </summary>
internal sealed class SchedulesCommand : WeftCommand
{
    public SchedulesCommand()
        : base("schedules", "Every scheduled DAG: its schedule in words, next run, last run and state, paused or not")
    {
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var entries = await new OperatorActions(store, TimeProvider.System).ListDagsAsync(context.DagsFolder, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var items = new List<ScheduleItem>();
        foreach (var e in entries)
        {
            if (e.DagId is null || e.Definition is not { Schedule: { } schedule } dag)
            {
                continue;
            }

            var next = RunPlanner.NextRuns(dag, now, 1);
            var page = await store.ListRunsAsync(new RunQuery(e.DagId, Limit: 1), cancellationToken).ConfigureAwait(false);
            var last = page.Items.Count > 0 ? page.Items[0] : null;
            items.Add(new ScheduleItem(
                e.DagId,
                schedule.Text,
                ScheduleWords.Describe(schedule, dag.TimeZone),
                dag.TimeZone.Id,
                e.Registered?.IsPaused ?? false,
                next.Count > 0 ? SchedulerTimes.Format(next[0].RunAfter) : null,
                next.Count > 0 ? SchedulerTimes.Format(next[0].LogicalDate) : null,
                last?.RunId,
                last?.LogicalDate is { } l ? SchedulerTimes.Format(l) : null,
                last?.State.ToName()));
        }

        if (context.Json)
        {
            context.WriteJson(new ScheduleListJson(items, items.Count));
            return ExitCodes.Success;
        }

        if (items.Count == 0)
        {
            context.WriteInfo($"no scheduled DAGs in '{context.DagsFolder}' or the database");
            return ExitCodes.Success;
        }

        RunsOutput.WriteTable(
            context.Out,
            ["dag id", "schedule", "next run", "last run", "state", "paused"],
            items.Select(i => (IReadOnlyList<string>)
            [
                i.DagId,
                i.Description,
                i.NextRunAfter ?? "(none)",
                i.LastRunId ?? "",
                i.LastRunState ?? "",
                i.IsPaused ? "yes" : "no",
            ]));
        return ExitCodes.Success;
    }

    internal sealed record ScheduleItem(
        string DagId,
        string Schedule,
        string Description,
        string Timezone,
        bool IsPaused,
        string? NextRunAfter,
        string? NextLogicalDate,
        string? LastRunId,
        string? LastLogicalDate,
        string? LastRunState);

    internal sealed record ScheduleListJson(IReadOnlyList<ScheduleItem> Schedules, int TotalEntries);
}
