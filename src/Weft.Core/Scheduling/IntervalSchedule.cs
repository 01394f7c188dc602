namespace Weft.Core.Scheduling;

/// <summary><c>every 15m</c>: fixed ticks anchored at <c>start_date</c>.</summary>
internal sealed class IntervalSchedule(string text, TimeSpan every) : Schedule(text)
{
    /// <summary>The interval between ticks.</summary>
    public TimeSpan Every { get; } = every;
}
