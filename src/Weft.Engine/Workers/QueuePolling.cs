namespace Weft.Engine.Workers;

/// <summary>
/// How often the attempt queue is polled where the store cannot notify (SQLite): quickly for a short while after
/// something happened (the next hand-off of a busy run is likely near), at the idle interval otherwise.
/// </summary>
internal static class QueuePolling
{
    /// <summary>The interval while busy.</summary>
    public static readonly TimeSpan BusyInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>How long after the last activity the busy interval holds.</summary>
    public static readonly TimeSpan BusyFor = TimeSpan.FromSeconds(1);

    /// <summary>The interval to wait now, given when the caller last took, ended or received something.</summary>
    public static TimeSpan Interval(TimeProvider time, long lastActivityTicks, TimeSpan idle, TimeSpan busy) =>
        lastActivityTicks > 0 && time.GetUtcNow().UtcTicks - lastActivityTicks < BusyFor.Ticks ? busy : idle;
}
