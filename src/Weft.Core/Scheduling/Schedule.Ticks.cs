namespace Weft.Core.Scheduling;

// The tick arithmetic shared by every kind of schedule. A tick is an instant at which one data
// interval ends and the next begins; the subclasses say where the ticks fall.
public abstract partial class Schedule
{
    /// <summary>How far back <see cref="LatestTickAtOrBefore"/> looks when nothing bounds it; longer than any cron's gap.</summary>
    private static readonly TimeSpan LookBackLimit = TimeSpan.FromDays(366 * 100);

    /// <summary>
    /// The first tick strictly after <paramref name="after"/>, in UTC; null when there is none
    /// (an <c>@once</c> schedule whose tick has passed, or a cron that never fires again).
    /// </summary>
    /// <param name="after">The instant to look after.</param>
    /// <param name="zone">The zone cron fields are read in; fixed intervals ignore it.</param>
    /// <param name="anchor">
    /// The DAG's <c>start_date</c>: <c>every</c> ticks fall at anchor + k × interval (the Unix
    /// epoch when null) and <c>@once</c> ticks once, at the anchor. Cron ignores it.
    /// </param>
    public DateTimeOffset? NextTick(DateTimeOffset after, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return NextTickCore(after.ToUniversalTime(), zone, anchor?.ToUniversalTime());
    }

    /// <summary>The first tick at or after <paramref name="at"/>, in UTC; null when there is none.</summary>
    /// <param name="at">The earliest instant accepted.</param>
    /// <param name="zone">The zone cron fields are read in.</param>
    /// <param name="anchor">The DAG's <c>start_date</c>, as for <see cref="NextTick"/>.</param>
    public DateTimeOffset? TickAtOrAfter(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? anchor) =>
        at.UtcTicks == DateTimeOffset.MinValue.UtcTicks
            ? NextTick(at, zone, anchor)
            : NextTick(at.AddTicks(-1), zone, anchor);

    /// <summary>
    /// The last tick at or before <paramref name="at"/> and not before <paramref name="notBefore"/>,
    /// in UTC; null when there is none in that range.
    /// </summary>
    /// <param name="at">The latest instant accepted.</param>
    /// <param name="zone">The zone cron fields are read in.</param>
    /// <param name="anchor">The DAG's <c>start_date</c>, as for <see cref="NextTick"/>.</param>
    /// <param name="notBefore">The earliest instant accepted; null for no lower bound (a century back at most, for cron).</param>
    public DateTimeOffset? LatestTickAtOrBefore(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? anchor, DateTimeOffset? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var tick = LatestTickAtOrBeforeCore(at.ToUniversalTime(), zone, anchor?.ToUniversalTime());
        return tick is { } t && (notBefore is null || t >= notBefore) ? t : null;
    }

    /// <summary>
    /// The data interval that begins at <paramref name="tick"/>: up to the next tick, or the
    /// single instant itself for <c>@once</c>. Null when no tick follows.
    /// </summary>
    /// <param name="tick">A tick of this schedule, such as one returned by <see cref="TickAtOrAfter"/>.</param>
    /// <param name="zone">The zone cron fields are read in.</param>
    /// <param name="anchor">The DAG's <c>start_date</c>, as for <see cref="NextTick"/>.</param>
    public DataInterval? IntervalStartingAt(DateTimeOffset tick, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        tick = tick.ToUniversalTime();
        if (IntervalsAreInstants)
        {
            return new DataInterval(tick, tick);
        }

        return NextTick(tick, zone, anchor) is { } end ? new DataInterval(tick, end) : null;
    }

    /// <summary>The first data interval whose start is at or after <paramref name="at"/>; null when there is none.</summary>
    /// <param name="at">The earliest start accepted.</param>
    /// <param name="zone">The zone cron fields are read in.</param>
    /// <param name="anchor">The DAG's <c>start_date</c>, as for <see cref="NextTick"/>.</param>
    public DataInterval? FirstIntervalAtOrAfter(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? anchor) =>
        TickAtOrAfter(at, zone, anchor) is { } start ? IntervalStartingAt(start, zone, anchor) : null;

    /// <summary>
    /// The interval that follows <paramref name="interval"/>: it starts where that one ends, or
    /// at the next tick when intervals are single instants. Null when no tick follows.
    /// </summary>
    /// <param name="interval">An interval of this schedule.</param>
    /// <param name="zone">The zone cron fields are read in.</param>
    /// <param name="anchor">The DAG's <c>start_date</c>, as for <see cref="NextTick"/>.</param>
    public DataInterval? IntervalAfter(DataInterval interval, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        ArgumentNullException.ThrowIfNull(interval);
        var start = interval.End > interval.Start ? interval.End : NextTick(interval.Start, zone, anchor);
        return start is { } s ? IntervalStartingAt(s, zone, anchor) : null;
    }

    /// <summary>
    /// The latest interval that has ended by <paramref name="at"/> (its end at or before it) and
    /// starts no earlier than <paramref name="notBefore"/>; null when there is none.
    /// </summary>
    /// <param name="at">The instant the interval must have ended by.</param>
    /// <param name="zone">The zone cron fields are read in.</param>
    /// <param name="anchor">The DAG's <c>start_date</c>, as for <see cref="NextTick"/>.</param>
    /// <param name="notBefore">The earliest start accepted; null for no lower bound.</param>
    public DataInterval? LatestIntervalEndedBy(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? anchor, DateTimeOffset? notBefore = null)
    {
        if (LatestTickAtOrBefore(at, zone, anchor, notBefore) is not { } end)
        {
            return null;
        }

        if (IntervalsAreInstants)
        {
            return new DataInterval(end, end);
        }

        return LatestTickAtOrBefore(end.AddTicks(-1), zone, anchor, notBefore) is { } start ? new DataInterval(start, end) : null;
    }

    /// <summary>True for <c>@once</c>, whose only tick is its anchor.</summary>
    internal bool RunsOnce => IntervalsAreInstants;

    /// <summary>True when an interval is the single instant of its tick (<c>@once</c>) rather than reaching to the next tick.</summary>
    private protected virtual bool IntervalsAreInstants => false;

    /// <summary>The first tick strictly after a UTC instant; the anchor, when given, is UTC too.</summary>
    private protected abstract DateTimeOffset? NextTickCore(DateTimeOffset after, TimeZoneInfo zone, DateTimeOffset? anchor);

    /// <summary>
    /// The last tick at or before a UTC instant. This default searches backwards through
    /// windows that double in length, asking <see cref="NextTickCore"/> for the first tick in
    /// each, so it costs a few dozen forward steps whatever the schedule's period.
    /// </summary>
    private protected virtual DateTimeOffset? LatestTickAtOrBeforeCore(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        var window = TimeSpan.FromSeconds(1);
        while (true)
        {
            var from = at.UtcTicks - DateTimeOffset.MinValue.UtcTicks > window.Ticks ? at - window : DateTimeOffset.MinValue;
            if (NextTickCore(from, zone, anchor) is { } first && first <= at)
            {
                // The previous, half-length window held no tick, so only the ticks between
                // `first` and the middle of this window remain to step over.
                var latest = first;
                while (NextTickCore(latest, zone, anchor) is { } next && next <= at)
                {
                    latest = next;
                }

                return latest;
            }

            if (from == DateTimeOffset.MinValue || window > LookBackLimit)
            {
                return null;
            }

            window += window;
        }
    }
}
