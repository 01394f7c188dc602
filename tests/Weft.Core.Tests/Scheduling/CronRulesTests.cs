using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

/// <summary>
/// The four cron rules of the contract, each as a table of the first ticks after an instant:
/// reversed ranges wrap, day-of-week 7 is Sunday, restricted day fields are ORed, and a repeated
/// hour runs wildcard expressions through both passes but fixed-time ones once.
/// </summary>
public sealed class CronRulesTests
{
    /// <summary>The first <paramref name="count"/> ticks after <paramref name="after"/>, as UTC ISO strings.</summary>
    private static string[] Ticks(string schedule, string zone, string after, int count)
    {
        var s = Parse(schedule);
        var z = Zone(zone);
        var ticks = new List<string>();
        var at = At(after);
        while (ticks.Count < count && s.NextTick(at, z, null) is { } next)
        {
            ticks.Add(Iso(next));
            at = next;
        }

        return [.. ticks];
    }

    private static void AssertTicks(string schedule, string zone, string after, string expected) =>
        Assert.Equal(expected.Split(' '), Ticks(schedule, zone, after, expected.Split(' ').Length));

    [Theory]
    // 2024-09-11 is a Wednesday: FRI-MON is Fri, Sat, Sun, Mon, then Fri again.
    [InlineData("0 9 * * FRI-MON", "2024-09-11T12:00:00Z", "2024-09-13T09:00:00Z 2024-09-14T09:00:00Z 2024-09-15T09:00:00Z 2024-09-16T09:00:00Z 2024-09-20T09:00:00Z")]
    [InlineData("0 9 * * 5-1", "2024-09-11T12:00:00Z", "2024-09-13T09:00:00Z 2024-09-14T09:00:00Z 2024-09-15T09:00:00Z 2024-09-16T09:00:00Z 2024-09-20T09:00:00Z")]
    [InlineData("0 9 * * SAT-SUN", "2024-09-11T12:00:00Z", "2024-09-14T09:00:00Z 2024-09-15T09:00:00Z 2024-09-21T09:00:00Z")]
    // 22-2 is 22, 23, 0, 1, 2 - five runs around midnight, not 02:00 to 22:00.
    [InlineData("0 22-2 * * *", "2024-09-11T12:00:00Z", "2024-09-11T22:00:00Z 2024-09-11T23:00:00Z 2024-09-12T00:00:00Z 2024-09-12T01:00:00Z 2024-09-12T02:00:00Z 2024-09-12T22:00:00Z")]
    // A step keeps counting across the wrap: 22, 0, 2.
    [InlineData("0 22-2/2 * * *", "2024-09-11T12:00:00Z", "2024-09-11T22:00:00Z 2024-09-12T00:00:00Z 2024-09-12T02:00:00Z 2024-09-12T22:00:00Z")]
    // 50-10 minutes: 10:50 .. 10:59, 11:00 .. 11:10, then 11:50.
    [InlineData("50-10 * * * *", "2024-09-11T11:08:00Z", "2024-09-11T11:09:00Z 2024-09-11T11:10:00Z 2024-09-11T11:50:00Z 2024-09-11T11:51:00Z")]
    [InlineData("50-10/10 * * * *", "2024-09-11T11:00:00Z", "2024-09-11T11:10:00Z 2024-09-11T11:50:00Z 2024-09-11T12:00:00Z 2024-09-11T12:10:00Z 2024-09-11T12:50:00Z")]
    // NOV-FEB: November, December, January, February.
    [InlineData("0 0 1 NOV-FEB *", "2024-06-01T00:00:00Z", "2024-11-01T00:00:00Z 2024-12-01T00:00:00Z 2025-01-01T00:00:00Z 2025-02-01T00:00:00Z 2025-11-01T00:00:00Z")]
    // Day-of-month 30-2 wraps at the end of each month (31 where the month has it).
    [InlineData("0 0 30-2 * *", "2024-01-15T00:00:00Z", "2024-01-30T00:00:00Z 2024-01-31T00:00:00Z 2024-02-01T00:00:00Z 2024-02-02T00:00:00Z 2024-03-01T00:00:00Z")]
    public void ReversedRange_WrapsAround(string schedule, string after, string expected) =>
        AssertTicks(schedule, "UTC", after, expected);

    [Theory]
    // 2024-09-15 and 09-22 are Sundays.
    [InlineData("0 0 * * 7", "2024-09-11T12:00:00Z", "2024-09-15T00:00:00Z 2024-09-22T00:00:00Z")]
    [InlineData("0 0 * * 0", "2024-09-11T12:00:00Z", "2024-09-15T00:00:00Z 2024-09-22T00:00:00Z")]
    // 5-7 is Friday to Sunday.
    [InlineData("0 12 * * 5-7", "2024-09-11T12:00:00Z", "2024-09-13T12:00:00Z 2024-09-14T12:00:00Z 2024-09-15T12:00:00Z 2024-09-20T12:00:00Z")]
    [InlineData("0 12 * * 6,7", "2024-09-11T12:00:00Z", "2024-09-14T12:00:00Z 2024-09-15T12:00:00Z 2024-09-21T12:00:00Z")]
    // 1-7 names every day, so it does not restrict the day and the 1st is ANDed with it: every 1st.
    [InlineData("0 0 1 * 1-7", "2024-09-11T12:00:00Z", "2024-10-01T00:00:00Z 2024-11-01T00:00:00Z")]
    public void DayOfWeekSeven_IsSunday(string schedule, string after, string expected) =>
        AssertTicks(schedule, "UTC", after, expected);

    [Theory]
    // Every Friday and every 13th: Fridays 09-06, 13, 20, 27, 10-04, 11, then Sunday 10-13, Friday 10-18.
    [InlineData("0 0 13 * 5", "2024-09-01T00:00:00Z", "2024-09-06T00:00:00Z 2024-09-13T00:00:00Z 2024-09-20T00:00:00Z 2024-09-27T00:00:00Z 2024-10-04T00:00:00Z 2024-10-11T00:00:00Z 2024-10-13T00:00:00Z 2024-10-18T00:00:00Z")]
    [InlineData("0 0 13 * FRI", "2024-10-11T00:00:00Z", "2024-10-13T00:00:00Z 2024-10-18T00:00:00Z")]
    // A step restricts too (it leaves days out): the 1st, 11th, 21st, 31st and every Monday.
    [InlineData("0 0 */10 * 1", "2024-10-01T00:00:00Z", "2024-10-07T00:00:00Z 2024-10-11T00:00:00Z 2024-10-14T00:00:00Z 2024-10-21T00:00:00Z 2024-10-28T00:00:00Z 2024-10-31T00:00:00Z 2024-11-01T00:00:00Z")]
    // Only one field restricted: that field alone decides.
    [InlineData("0 0 13 * *", "2024-09-01T00:00:00Z", "2024-09-13T00:00:00Z 2024-10-13T00:00:00Z")]
    [InlineData("0 0 * * 5", "2024-09-01T00:00:00Z", "2024-09-06T00:00:00Z 2024-09-13T00:00:00Z")]
    // A day-of-month naming every day does not restrict: Mondays only.
    [InlineData("0 0 1-31 * 1", "2024-09-01T00:00:00Z", "2024-09-02T00:00:00Z 2024-09-09T00:00:00Z")]
    // The month still applies to both: the 1st of June and the Mondays of June 2025.
    [InlineData("0 0 1 6 1", "2024-07-01T00:00:00Z", "2025-06-01T00:00:00Z 2025-06-02T00:00:00Z 2025-06-09T00:00:00Z")]
    public void BothDayFieldsRestricted_EitherFires(string schedule, string after, string expected) =>
        AssertTicks(schedule, "UTC", after, expected);

    [Theory]
    // America/New_York, 2024-11-03 06:00Z: 02:00 EDT (-4) goes back to 01:00 EST (-5). 01:00-02:00
    // is lived twice: 05:00-06:00Z (EDT), then 06:00-07:00Z (EST).
    [InlineData("*/15 * * * *", "America/New_York", "2024-11-03T05:30:00Z", "2024-11-03T05:45:00Z 2024-11-03T06:00:00Z 2024-11-03T06:15:00Z 2024-11-03T06:30:00Z 2024-11-03T06:45:00Z 2024-11-03T07:00:00Z")]
    [InlineData("@hourly", "America/New_York", "2024-11-03T04:30:00Z", "2024-11-03T05:00:00Z 2024-11-03T06:00:00Z 2024-11-03T07:00:00Z")]
    // A step or a range in the minute or hour field is an interval too.
    [InlineData("0-59/30 1 * * *", "America/New_York", "2024-11-03T04:00:00Z", "2024-11-03T05:00:00Z 2024-11-03T05:30:00Z 2024-11-03T06:00:00Z 2024-11-03T06:30:00Z 2024-11-04T06:00:00Z")]
    [InlineData("0 1-2 * * *", "America/New_York", "2024-11-03T04:00:00Z", "2024-11-03T05:00:00Z 2024-11-03T06:00:00Z 2024-11-03T07:00:00Z 2024-11-04T06:00:00Z")]
    // Fixed times fire once, on the first pass: 01:30 EDT; the next day 01:30 EST.
    [InlineData("30 1 * * *", "America/New_York", "2024-11-02T12:00:00Z", "2024-11-03T05:30:00Z 2024-11-04T06:30:00Z")]
    [InlineData("30 1,2 * * *", "America/New_York", "2024-11-03T04:00:00Z", "2024-11-03T05:30:00Z 2024-11-03T07:30:00Z 2024-11-04T06:30:00Z")]
    // From inside the second pass a fixed time waits for the next day.
    [InlineData("30 1 * * *", "America/New_York", "2024-11-03T06:10:00Z", "2024-11-04T06:30:00Z")]
    // From inside the second pass an interval goes on with the second pass.
    [InlineData("*/15 * * * *", "America/New_York", "2024-11-03T06:20:00Z", "2024-11-03T06:30:00Z 2024-11-03T06:45:00Z 2024-11-03T07:00:00Z")]
    // Europe/Amsterdam, 2024-10-27 01:00Z: 03:00 CEST (+2) goes back to 02:00 CET (+1); 02:00-03:00
    // is lived as 00:00-01:00Z, then 01:00-02:00Z.
    [InlineData("*/30 * * * *", "Europe/Amsterdam", "2024-10-26T23:45:00Z", "2024-10-27T00:00:00Z 2024-10-27T00:30:00Z 2024-10-27T01:00:00Z 2024-10-27T01:30:00Z 2024-10-27T02:00:00Z")]
    [InlineData("0 * * * *", "Europe/Amsterdam", "2024-10-26T23:30:00Z", "2024-10-27T00:00:00Z 2024-10-27T01:00:00Z 2024-10-27T02:00:00Z")]
    [InlineData("30 2 * * *", "Europe/Amsterdam", "2024-10-26T12:00:00Z", "2024-10-27T00:30:00Z 2024-10-28T01:30:00Z")]
    // Australia/Lord_Howe, 2024-04-06 15:00Z: 02:00 (+11) goes back half an hour to 01:30 (+10:30);
    // 01:30-02:00 is lived as 14:30-15:00Z, then 15:00-15:30Z.
    [InlineData("*/15 * * * *", "Australia/Lord_Howe", "2024-04-06T14:20:00Z", "2024-04-06T14:30:00Z 2024-04-06T14:45:00Z 2024-04-06T15:00:00Z 2024-04-06T15:15:00Z 2024-04-06T15:30:00Z")]
    [InlineData("45 1 * * *", "Australia/Lord_Howe", "2024-04-06T12:00:00Z", "2024-04-06T14:45:00Z 2024-04-07T15:15:00Z")]
    [InlineData("0 * * * *", "Australia/Lord_Howe", "2024-04-06T13:30:00Z", "2024-04-06T14:00:00Z 2024-04-06T15:30:00Z 2024-04-06T16:30:00Z")]
    public void RepeatedHour_IntervalsRunThroughBothPasses_FixedTimesOnce(string schedule, string zone, string after, string expected) =>
        AssertTicks(schedule, zone, after, expected);

    [Theory]
    [InlineData("0 0 * * 8", "outside 0-7")]
    [InlineData("60 * * * *", "outside 0-59")]
    [InlineData("0 0 * * FRI-", "a value on each side")]
    [InlineData("*/0 * * * *", "step")]
    [InlineData("0 0 * JANUARY *", "JAN FEB")]
    [InlineData("0 0 ? * ?", null)]
    public void Parse_ReportsTheFieldAtFault(string schedule, string? message)
    {
        var ok = Weft.Core.Scheduling.Schedule.TryParse(schedule, out _, out var error);

        Assert.Equal(message is null, ok);
        if (message is not null)
        {
            Assert.Contains(message, error, StringComparison.Ordinal);
        }
    }
}
