using Weft.Core.Dags;

namespace Weft.Core.Scheduling;

/// <summary>
/// Turns a DAG's schedule into runs: the upcoming ones (<c>weft dags next-runs</c>), the ones
/// due now (the scheduler) and the ones in a range (<c>weft backfill</c>). Pure: the current
/// time and the DAG's history come in as arguments.
/// </summary>
public static partial class RunPlanner
{
    /// <summary>
    /// The most runs <see cref="DueRuns"/> returns in one call. A catchup from a start date far in
    /// the past yields the oldest runs first; the rest come on later calls, once the scheduler
    /// has recorded them and passes the newer last logical date.
    /// </summary>
    public const int MaxDueRuns = 1_000;

    /// <summary>The default limit on the runs one <see cref="Backfill"/> may create.</summary>
    public const int DefaultMaxBackfillRuns = 10_000;

    /// <summary>
    /// The next <paramref name="count"/> runs whose run time (the end of the data interval) is
    /// strictly after <paramref name="after"/>, oldest first, within <c>start_date</c> and
    /// <c>end_date</c>. When <paramref name="after"/> is before <c>start_date</c>, the first run
    /// is the first interval from <c>start_date</c>. Empty for a DAG without a schedule.
    /// </summary>
    /// <param name="dag">The DAG.</param>
    /// <param name="after">Runs due at or before this instant are left out; usually now.</param>
    /// <param name="count">How many runs at most.</param>
    public static IReadOnlyList<PlannedRun> NextRuns(DagDefinition dag, DateTimeOffset after, int count)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (dag.Schedule is not { } schedule || count == 0)
        {
            return [];
        }

        var zone = dag.TimeZone;
        var anchor = dag.StartDate;

        // The interval under way at `after` is the first whose end lies beyond it; before
        // start_date there is none, and the first interval from start_date comes next.
        var interval = schedule.LatestTickAtOrBefore(after, zone, anchor, dag.StartDate) is { } current
            ? schedule.IntervalStartingAt(current, zone, anchor)
            : schedule.FirstIntervalAtOrAfter(dag.StartDate is { } start && start > after ? start : after, zone, anchor);

        var runs = new List<PlannedRun>(Math.Min(count, 64));
        while (interval is not null && runs.Count < count && WithinEndDate(dag, interval))
        {
            if (interval.End > after)
            {
                runs.Add(PlannedRun.For(interval));
            }

            interval = schedule.IntervalAfter(interval, zone, anchor);
        }

        return runs;
    }

    /// <summary>
    /// One run per interval whose logical date lies in [<paramref name="from"/>, <paramref name="to"/>],
    /// both inclusive, oldest first. The range is taken as given: <c>start_date</c> and
    /// <c>end_date</c> bound the scheduler, not an explicit backfill (<c>start_date</c> still
    /// anchors <c>every</c> intervals). Empty for a DAG without a schedule.
    /// </summary>
    /// <param name="dag">The DAG.</param>
    /// <param name="from">The earliest logical date.</param>
    /// <param name="to">The latest logical date.</param>
    /// <param name="maxRuns">The most runs accepted; a range holding more is refused rather than cut short.</param>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>, or the range holds more than <paramref name="maxRuns"/> runs.</exception>
    public static IReadOnlyList<PlannedRun> Backfill(DagDefinition dag, DateTimeOffset from, DateTimeOffset to, int maxRuns = DefaultMaxBackfillRuns)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRuns);
        if (to < from)
        {
            throw new ArgumentException($"the backfill range ends ({RunIds.Format(to)}) before it starts ({RunIds.Format(from)})", nameof(to));
        }

        if (dag.Schedule is not { } schedule)
        {
            return [];
        }

        var zone = dag.TimeZone;
        var anchor = dag.StartDate;
        var runs = new List<PlannedRun>();
        for (var interval = schedule.FirstIntervalAtOrAfter(from, zone, anchor);
             interval is not null && interval.Start <= to;
             interval = schedule.IntervalAfter(interval, zone, anchor))
        {
            if (runs.Count == maxRuns)
            {
                throw new ArgumentException($"the backfill range holds more than {maxRuns} runs; narrow it", nameof(to));
            }

            runs.Add(PlannedRun.For(interval));
        }

        return runs;
    }

    private static bool WithinEndDate(DagDefinition dag, DataInterval interval) =>
        dag.EndDate is not { } end || interval.Start <= end;
}
