namespace Weft.Core.Scheduling;

/// <summary>
/// Converts between instants and the wall-clock time of a zone, with the DST rules of the
/// contract: a wall time skipped by a spring-forward gap maps to the first instant after the
/// gap, and a wall time repeated by a fall-back overlap maps to its first (earlier) occurrence.
/// </summary>
internal static class WallClock
{
    /// <summary>The wall-clock time in <paramref name="zone"/> at <paramref name="instant"/> (kind unspecified).</summary>
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>
    /// The instant at which the wall clock in <paramref name="zone"/> first shows
    /// <paramref name="local"/>; null when that instant lies past the last one representable
    /// (a wall time late on 9999-12-31 in a zone west of UTC).
    /// </summary>
    public static DateTimeOffset? ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return GapEnd(local, zone);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The larger offset belongs to the period before the clocks went back, so it gives
            // the earlier of the two instants.
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return Utc(local, offsets.Max());
        }

        return Utc(local, zone.GetUtcOffset(local));
    }

    /// <summary>The instant of a wall time on a given offset; null when it is not representable.</summary>
    public static DateTimeOffset? Utc(DateTime local, TimeSpan offset)
    {
        var ticks = local.Ticks - offset.Ticks;
        return ticks >= 0 && ticks <= DateTime.MaxValue.Ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// The instant the clocks go back, for an instant <paramref name="near"/> that lies in either
    /// pass of the repeated stretch: the first instant on the <paramref name="later"/> offset,
    /// within <paramref name="length"/> (the stretch's length) of <paramref name="near"/>.
    /// </summary>
    public static DateTimeOffset FallBack(DateTimeOffset near, TimeSpan length, TimeSpan later, TimeZoneInfo zone)
    {
        // Before the transition the zone is on the earlier (larger) offset, after it on the
        // later one, so a binary search on "offset is the later one" finds it.
        var lo = near.UtcTicks - length.Ticks - 1;
        var hi = near.UtcTicks + length.Ticks;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (zone.GetUtcOffset(new DateTime(mid, DateTimeKind.Utc)) == later)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return new DateTimeOffset(hi, TimeSpan.Zero);
    }

    /// <summary>
    /// The transition instant that ends the gap holding <paramref name="local"/>: the first
    /// instant whose wall time is later than <paramref name="local"/>.
    /// </summary>
    private static DateTimeOffset GapEnd(DateTime local, TimeZoneInfo zone)
    {
        // UTC offsets lie within ±14 h, so the transition lies within this window. The wall
        // time rises monotonically across a spring-forward transition, so a binary search on
        // "wall time is past local" finds the transition to the tick without walking the gap.
        var lo = local.Ticks - TimeSpan.TicksPerHour * 14;
        var hi = local.Ticks + TimeSpan.TicksPerHour * 14;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            var wall = mid + zone.GetUtcOffset(new DateTime(mid, DateTimeKind.Utc)).Ticks;
            if (wall > local.Ticks)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return new DateTimeOffset(hi, TimeSpan.Zero);
    }
}
