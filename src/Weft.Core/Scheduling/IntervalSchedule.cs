namespace Weft.Core.Scheduling;

/// <summary>
/// <c>every 15m</c>: ticks at anchor + k × interval in absolute time, so DST never stretches or
/// shrinks an interval. The anchor is <c>start_date</c>, or the Unix epoch without one.
/// </summary>
internal sealed class IntervalSchedule(string text, TimeSpan every) : Schedule(text)
{
    /// <summary>The interval between ticks.</summary>
    public TimeSpan Every { get; } = every;

    /// <inheritdoc/>
    private protected override DateTimeOffset? NextTickCore(DateTimeOffset after, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        var origin = (anchor ?? DateTimeOffset.UnixEpoch).UtcTicks;
        var k = FloorDiv(after.UtcTicks - origin, Every.Ticks) + 1;
        return At(origin, k);
    }

    /// <inheritdoc/>
    private protected override DateTimeOffset? LatestTickAtOrBeforeCore(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        var origin = (anchor ?? DateTimeOffset.UnixEpoch).UtcTicks;
        return At(origin, FloorDiv(at.UtcTicks - origin, Every.Ticks));
    }

    /// <summary>The k-th tick from the origin; null past the range of <see cref="DateTimeOffset"/>.</summary>
    private DateTimeOffset? At(long origin, long k)
    {
        // Both operands are bounded by the DateTimeOffset range (about 3.2e18 ticks), but their
        // product and sum can still leave it; checked arithmetic turns that into "no tick".
        try
        {
            var ticks = checked(origin + (k * Every.Ticks));
            return ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b) < 0 ? 1 : 0);
}
