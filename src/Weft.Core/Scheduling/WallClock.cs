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

    /// <summary>The instant at which the wall clock in <paramref name="zone"/> first shows <paramref name="local"/>.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
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
            var offset = offsets.Max();
            return new DateTimeOffset(local - offset, TimeSpan.Zero);
        }

        return new DateTimeOffset(local - zone.GetUtcOffset(local), TimeSpan.Zero);
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
