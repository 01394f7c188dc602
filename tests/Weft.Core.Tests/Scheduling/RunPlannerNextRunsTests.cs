using Weft.Core.Scheduling;
using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

public sealed class RunPlannerNextRunsTests
{
    public static TheoryData<string, string, string?, string?, string, int, string[]> Cases => new()
    {
        // Daily at 02:00 UTC: at noon the interval under way is [Jan 10 02:00, Jan 11 02:00].
        {
            "0 2 * * *", "UTC", "2026-01-01T00:00:00Z", null, "2026-01-10T12:00:00Z", 2,
            ["2026-01-10T02:00:00Z..2026-01-11T02:00:00Z", "2026-01-11T02:00:00Z..2026-01-12T02:00:00Z"]
        },
        // `after` exactly at a run time: that run is not "after", the next one is.
        {
            "0 2 * * *", "UTC", null, null, "2026-01-11T02:00:00Z", 1,
            ["2026-01-11T02:00:00Z..2026-01-12T02:00:00Z"]
        },
        // 02:30 Amsterdam: 03-28 02:30 CET = 01:30Z; 03-29 in the gap -> 01:00Z; 03-30 02:30 CEST = 00:30Z.
        {
            "30 2 * * *", "Europe/Amsterdam", null, null, "2026-03-28T12:00:00Z", 2,
            ["2026-03-28T01:30:00Z..2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z..2026-03-30T00:30:00Z"]
        },
        // 02:30 Amsterdam over fall-back: 10-24 00:30Z (CEST), 10-25 00:30Z (first pass), 10-26 01:30Z (CET).
        {
            "30 2 * * *", "Europe/Amsterdam", null, null, "2026-10-24T12:00:00Z", 2,
            ["2026-10-24T00:30:00Z..2026-10-25T00:30:00Z", "2026-10-25T00:30:00Z..2026-10-26T01:30:00Z"]
        },
        // Hourly on the spring-forward night: 01:00 CET = 00:00Z, 03:00 CEST = 01:00Z, 04:00 CEST = 02:00Z.
        {
            "0 * * * *", "Europe/Amsterdam", null, null, "2026-03-29T00:30:00Z", 2,
            ["2026-03-29T00:00:00Z..2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z..2026-03-29T02:00:00Z"]
        },
        // Hourly on the fall-back night: 02:00 CEST (00:00Z) and 02:00 CET (01:00Z) both tick,
        // so every interval is one real hour.
        {
            "0 * * * *", "Europe/Amsterdam", null, null, "2026-10-24T23:30:00Z", 3,
            [
                "2026-10-24T23:00:00Z..2026-10-25T00:00:00Z",
                "2026-10-25T00:00:00Z..2026-10-25T01:00:00Z",
                "2026-10-25T01:00:00Z..2026-10-25T02:00:00Z",
            ]
        },
        // Business hours in New York over the November change: Fri 16:00 and 17:00 EDT
        // (20:00Z, 21:00Z), then Mon 09:00 EST (14:00Z).
        {
            "0 9-17 * * 1-5", "America/New_York", null, null, "2026-10-30T20:30:00Z", 3,
            [
                "2026-10-30T20:00:00Z..2026-10-30T21:00:00Z",
                "2026-10-30T21:00:00Z..2026-11-02T14:00:00Z",
                "2026-11-02T14:00:00Z..2026-11-02T15:00:00Z",
            ]
        },
        // Hourly across Feb 29, 2028 into Mar 1.
        {
            "0 * * * *", "UTC", null, null, "2028-02-29T22:30:00Z", 3,
            [
                "2028-02-29T22:00:00Z..2028-02-29T23:00:00Z",
                "2028-02-29T23:00:00Z..2028-03-01T00:00:00Z",
                "2028-03-01T00:00:00Z..2028-03-01T01:00:00Z",
            ]
        },
        // end_date is the last logical date, inclusive: Jan 1, 2 and 3 only.
        {
            "@daily", "UTC", "2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z", "2025-12-01T00:00:00Z", 10,
            [
                "2026-01-01T00:00:00Z..2026-01-02T00:00:00Z",
                "2026-01-02T00:00:00Z..2026-01-03T00:00:00Z",
                "2026-01-03T00:00:00Z..2026-01-04T00:00:00Z",
            ]
        },
        // every 15m anchored at 10:07: the interval under way at 10:30 began at 10:22.
        {
            "every 15m", "UTC", "2026-05-04T10:07:00Z", null, "2026-05-04T10:30:00Z", 3,
            [
                "2026-05-04T10:22:00Z..2026-05-04T10:37:00Z",
                "2026-05-04T10:37:00Z..2026-05-04T10:52:00Z",
                "2026-05-04T10:52:00Z..2026-05-04T11:07:00Z",
            ]
        },
        // every 15m before its start_date: the first interval starts at start_date, 10:07.
        {
            "every 15m", "UTC", "2026-05-04T10:07:00Z", null, "2026-05-01T00:00:00Z", 1,
            ["2026-05-04T10:07:00Z..2026-05-04T10:22:00Z"]
        },
        // @weekly (Sunday 00:00) in UTC: Sun Mar 1 and Mar 8, 2026.
        {
            "@weekly", "UTC", null, null, "2026-03-04T00:00:00Z", 2,
            ["2026-03-01T00:00:00Z..2026-03-08T00:00:00Z", "2026-03-08T00:00:00Z..2026-03-15T00:00:00Z"]
        },
        // @weekly in Amsterdam over the spring change: Sun 03-29 00:00 CET = 03-28 23:00Z to
        // Sun 04-05 00:00 CEST = 04-04 22:00Z, one hour short of a week.
        {
            "@weekly", "Europe/Amsterdam", null, null, "2026-03-29T12:00:00Z", 1,
            ["2026-03-28T23:00:00Z..2026-04-04T22:00:00Z"]
        },
        // @monthly: month lengths 31 (Jan), 28 (Feb 2026), 31 (Mar).
        {
            "@monthly", "UTC", null, null, "2026-01-15T00:00:00Z", 3,
            [
                "2026-01-01T00:00:00Z..2026-02-01T00:00:00Z",
                "2026-02-01T00:00:00Z..2026-03-01T00:00:00Z",
                "2026-03-01T00:00:00Z..2026-04-01T00:00:00Z",
            ]
        },
        // The 31st of each month skips February and April.
        {
            "0 0 31 * *", "UTC", null, null, "2026-02-01T00:00:00Z", 2,
            ["2026-01-31T00:00:00Z..2026-03-31T00:00:00Z", "2026-03-31T00:00:00Z..2026-05-31T00:00:00Z"]
        },
        // @once: logical date, interval and run time are all start_date.
        {
            "@once", "UTC", "2026-06-01T12:00:00Z", null, "2026-05-01T00:00:00Z", 5,
            ["2026-06-01T12:00:00Z..2026-06-01T12:00:00Z"]
        },
        { "@once", "UTC", "2026-06-01T12:00:00Z", null, "2026-06-01T12:00:00Z", 5, [] },
        { "@once", "UTC", null, null, "2026-06-01T12:00:00Z", 5, [] },
        // `after` before start_date: the first interval is the first tick at or after it (11:00).
        {
            "0 * * * *", "UTC", "2026-06-01T10:30:00Z", null, "2026-01-01T00:00:00Z", 2,
            ["2026-06-01T11:00:00Z..2026-06-01T12:00:00Z", "2026-06-01T12:00:00Z..2026-06-01T13:00:00Z"]
        },
        // `after` inside the first interval: it is still the next to run.
        {
            "0 * * * *", "UTC", "2026-06-01T10:30:00Z", null, "2026-06-01T11:30:00Z", 1,
            ["2026-06-01T11:00:00Z..2026-06-01T12:00:00Z"]
        },
        // `after` past end_date's interval: nothing left.
        { "@daily", "UTC", null, "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", 3, [] },
        // Six fields, seconds first: every 20 seconds.
        {
            "*/20 * * * * *", "UTC", null, null, "2026-05-04T10:00:05Z", 2,
            ["2026-05-04T10:00:00Z..2026-05-04T10:00:20Z", "2026-05-04T10:00:20Z..2026-05-04T10:00:40Z"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NextRuns_Table(string schedule, string zone, string? start, string? end, string after, int count, string[] expected)
    {
        var runs = RunPlanner.NextRuns(Dag(schedule, zone, start, end), At(after), count);

        Assert.Equal(expected, Describe(runs));
        Assert.All(runs, r => Assert.True(r.RunAfter > At(after)));
    }

    [Fact]
    public void NextRuns_ManualOnlyDag_IsEmpty() =>
        Assert.Empty(RunPlanner.NextRuns(Dag(null), At("2026-01-01T00:00:00Z"), 5));

    [Fact]
    public void NextRuns_CountZero_IsEmpty() =>
        Assert.Empty(RunPlanner.NextRuns(Dag("@daily"), At("2026-01-01T00:00:00Z"), 0));

    [Fact]
    public void NextRuns_NegativeCount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RunPlanner.NextRuns(Dag("@daily"), At("2026-01-01T00:00:00Z"), -1));

    [Fact]
    public void NextRuns_HourlyAmsterdamOverFallBackDay_HasTwoTwoOClockRuns()
    {
        // 2026-10-25 local day: 00:00 CEST = 10-24 22:00Z up to 2026-10-26 00:00 CET = 10-25 23:00Z.
        var runs = RunPlanner.NextRuns(Dag("0 * * * *", "Europe/Amsterdam"), At("2026-10-24T22:00:00Z"), 25);
        var zone = Zone("Europe/Amsterdam");
        var localHours = runs.Select(r => TimeZoneInfo.ConvertTime(r.LogicalDate, zone).Hour).ToList();

        // 25 real hours, 02:00 twice (CEST, then CET): 25 runs, the last starting 23:00 CET = 22:00Z.
        Assert.Equal([0, 1, 2, 2, .. Enumerable.Range(3, 21)], localHours);
        Assert.Equal(At("2026-10-25T22:00:00Z"), runs[^1].LogicalDate);
    }
}
