using System.Globalization;
using Weft.Core.Dags;
using Weft.Core.Scheduling;

namespace Weft.Core.Tests.Scheduling;

/// <summary>Short ways to write schedules, instants and DAGs in the scheduling tests.</summary>
internal static class ScheduleFixtures
{
    public static Schedule Parse(string text)
    {
        Assert.True(Schedule.TryParse(text, out var schedule, out var error), error);
        return schedule!;
    }

    /// <summary>An instant written in ISO-8601 with its offset, e.g. <c>2026-03-29T01:00:00Z</c>.</summary>
    public static DateTimeOffset At(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static DateTimeOffset? AtOrNull(string? iso) => iso is null ? null : At(iso);

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    public static DagDefinition Dag(
        string? schedule,
        string zone = "UTC",
        string? start = null,
        string? end = null,
        bool catchup = false) => new()
        {
            Id = "etl",
            Schedule = schedule is null ? null : Parse(schedule),
            TimeZone = Zone(zone),
            StartDate = AtOrNull(start),
            EndDate = AtOrNull(end),
            Catchup = catchup,
        };

    /// <summary>Runs as <c>logical..end</c> pairs in UTC, easy to compare and to read in a failure.</summary>
    public static string[] Describe(IEnumerable<PlannedRun> runs) =>
        runs.Select(r =>
        {
            Assert.Equal(r.LogicalDate, r.DataIntervalStart);
            Assert.Equal(r.DataIntervalEnd, r.RunAfter);
            Assert.Equal(TimeSpan.Zero, r.LogicalDate.Offset);
            Assert.Equal(TimeSpan.Zero, r.RunAfter.Offset);
            return $"{Iso(r.DataIntervalStart)}..{Iso(r.DataIntervalEnd)}";
        }).ToArray();

    public static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
