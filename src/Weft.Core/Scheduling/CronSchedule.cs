using Weft.Core.Scheduling.Cron;

namespace Weft.Core.Scheduling;

/// <summary>
/// A 5-field cron expression, or 6 fields with seconds first, matched against wall-clock time
/// in the DAG's zone. The zone rules are Vixie cron's (see <see cref="WallClock"/>): a time
/// skipped by a spring-forward gap fires when the gap ends; in a repeated hour a fixed-time
/// expression fires on the first pass only, one with a wildcard, step or range in its second,
/// minute or hour field on the real clock through both passes.
/// </summary>
internal sealed class CronSchedule : Schedule
{
    /// <summary>How far ahead a cron that matches nothing (<c>0 0 30 2 *</c>) is searched before giving up.</summary>
    private const int SearchYears = 100;

    private CronSchedule(string text, CronExpression cron)
        : base(text) => Cron = cron;

    /// <summary>The parsed expression (a preset already expanded).</summary>
    public CronExpression Cron { get; }

    /// <summary>Parses the expression; null with a message when it is not valid cron.</summary>
    public static CronSchedule? Create(string text, string expression, out string? error) =>
        CronParser.Parse(expression, out error) is { } cron ? new CronSchedule(text, cron) : null;

    /// <inheritdoc/>
    private protected override DateTimeOffset? NextTickCore(DateTimeOffset after, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        var wall = WallClock.ToLocal(after, zone);
        var first = NextFirstPassTick(after, wall, zone);
        if (!Cron.RunsThroughRepeatedHour || !zone.IsAmbiguousTime(wall))
        {
            return first;
        }

        // `after` lies in a repeated stretch of wall time (either pass). The second pass of that
        // stretch may hold a tick before `first`: a matching wall time of the stretch past the
        // one `after` shows on the later offset, mapped with that offset.
        var offsets = zone.GetAmbiguousTimeOffsets(wall);
        var (earlier, later) = (offsets.Max(), offsets.Min());
        var secondPass = WallClock.FallBack(after, earlier - later, later, zone);
        var stretchStart = (secondPass + later).DateTime;
        var stretchEnd = stretchStart + (earlier - later);
        var from = (after + later).DateTime;
        if (from < stretchStart)
        {
            from = stretchStart.AddTicks(-1);
        }

        if (NextWallTime(from) is { } next && next < stretchEnd && WallClock.Utc(next, later) is { } tick)
        {
            if (first is null || tick < first)
            {
                return tick;
            }
        }

        return first;
    }

    /// <summary>
    /// The first tick after <paramref name="after"/> counting each wall time at its first
    /// instant (a gap's end, a repeated time's first pass).
    /// </summary>
    private DateTimeOffset? NextFirstPassTick(DateTimeOffset after, DateTime wall, TimeZoneInfo zone)
    {
        // Several wall times can share one instant: every time in a gap fires when the gap ends,
        // and a repeated time maps to its first pass. So a matching wall time can map to an
        // instant at or before `after` (when `after` lies in the repeated hour); step past it.
        while (NextWallTime(wall) is { } next)
        {
            if (WallClock.ToInstant(next, zone) is not { } instant)
            {
                return null;
            }

            if (instant > after)
            {
                return instant;
            }

            wall = next;
        }

        return null;
    }

    /// <summary>The first wall-clock time strictly after <paramref name="wall"/> that the expression matches.</summary>
    private DateTime? NextWallTime(DateTime wall) =>
        Cron.NextAfter(wall, Math.Min(DateTime.MaxValue.Year, wall.Year + SearchYears));
}
