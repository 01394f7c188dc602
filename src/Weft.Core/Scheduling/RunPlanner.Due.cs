using Weft.Core.Dags;

namespace Weft.Core.Scheduling;

public static partial class RunPlanner
{
    /// <summary>How many intervals the no-catchup path steps forward before searching back from now instead.</summary>
    private const int ForwardSteps = 16;

    /// <summary>
    /// The runs the scheduler should create at <paramref name="now"/>, oldest first.
    /// With catchup: every interval that has ended (its end at or before now) and whose logical
    /// date is after <paramref name="lastLogicalDate"/>, at most <see cref="MaxDueRuns"/>.
    /// Without catchup: only the latest interval that has ended, if its logical date is after
    /// <paramref name="lastLogicalDate"/>; intervals missed before it are skipped for good.
    /// Intervals start at <c>start_date</c>, or at <paramref name="registeredAt"/> when the DAG
    /// has none; none starts after <c>end_date</c>. Empty for a DAG without a schedule.
    /// </summary>
    /// <param name="dag">The DAG.</param>
    /// <param name="now">The current time, from the caller's clock.</param>
    /// <param name="lastLogicalDate">The logical date of the newest scheduled run already created; null when there is none.</param>
    /// <param name="registeredAt">When the DAG was first registered; the lower bound for a DAG without <c>start_date</c>.</param>
    public static IReadOnlyList<PlannedRun> DueRuns(DagDefinition dag, DateTimeOffset now, DateTimeOffset? lastLogicalDate, DateTimeOffset registeredAt)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (dag.Schedule is not { } schedule)
        {
            return [];
        }

        var zone = dag.TimeZone;
        var lower = dag.StartDate ?? registeredAt;

        // @once without start_date runs once, at registration; `every` without one keeps the
        // epoch anchor so that its intervals match what next-runs showed.
        var anchor = dag.StartDate ?? (schedule.RunsOnce ? registeredAt : null);

        var first = lastLogicalDate is { } last && last >= lower
            ? schedule.NextTick(last, zone, anchor)
            : schedule.TickAtOrAfter(lower, zone, anchor);
        var interval = first is { } f ? schedule.IntervalStartingAt(f, zone, anchor) : null;
        if (interval is null || interval.End > now || !WithinEndDate(dag, interval))
        {
            // The common case on every scheduler pass: the next interval has not ended yet.
            return [];
        }

        if (dag.Catchup)
        {
            return CatchUp(dag, schedule, interval, now, anchor);
        }

        // As in Airflow, a latest interval past end_date means nothing is due: the intervals
        // that were in range passed while the scheduler was away, and catchup is off.
        var latest = Latest(schedule, interval, now, zone, anchor, lower);
        return WithinEndDate(dag, latest) ? [PlannedRun.For(latest)] : [];
    }

    private static List<PlannedRun> CatchUp(DagDefinition dag, Schedule schedule, DataInterval first, DateTimeOffset now, DateTimeOffset? anchor)
    {
        var runs = new List<PlannedRun>();
        for (DataInterval? interval = first;
             interval is not null && interval.End <= now && WithinEndDate(dag, interval) && runs.Count < MaxDueRuns;
             interval = schedule.IntervalAfter(interval, dag.TimeZone, anchor))
        {
            runs.Add(PlannedRun.For(interval));
        }

        return runs;
    }

    /// <summary>
    /// The latest interval ended by <paramref name="now"/>, given one that has ended.
    /// </summary>
    private static DataInterval Latest(Schedule schedule, DataInterval ended, DateTimeOffset now, TimeZoneInfo zone, DateTimeOffset? anchor, DateTimeOffset lower)
    {
        // A scheduler that keeps up finds the latest within a step or two; after a long pause
        // a search back from now is cheaper than stepping through every missed interval.
        var latest = ended;
        for (var step = 0; step < ForwardSteps; step++)
        {
            if (schedule.IntervalAfter(latest, zone, anchor) is not { } next || next.End > now)
            {
                return latest;
            }

            latest = next;
        }

        return schedule.LatestIntervalEndedBy(now, zone, anchor, lower) ?? latest;
    }
}
