namespace Weft.Core.Scheduling;

/// <summary>A run the schedule calls for; all instants are UTC.</summary>
/// <param name="LogicalDate">The run's logical date: the start of its data interval.</param>
/// <param name="DataIntervalStart">The first instant of the data the run covers.</param>
/// <param name="DataIntervalEnd">The end of the data the run covers.</param>
/// <param name="RunAfter">The earliest instant the run may start: the end of its data interval.</param>
public sealed record PlannedRun(
    DateTimeOffset LogicalDate,
    DateTimeOffset DataIntervalStart,
    DateTimeOffset DataIntervalEnd,
    DateTimeOffset RunAfter)
{
    /// <summary>A run for <paramref name="interval"/>: logical date at its start, due at its end.</summary>
    public static PlannedRun For(DataInterval interval) =>
        new(interval.Start, interval.Start, interval.End, interval.End);

    /// <summary>The run's data interval.</summary>
    public DataInterval DataInterval => new(DataIntervalStart, DataIntervalEnd);
}
