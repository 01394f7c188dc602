using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

public sealed class ScheduleTickTests
{
    // Every expectation is worked out by hand in the comment beside it.
    // Europe/Amsterdam: CET = UTC+1, CEST = UTC+2; 2026-03-29 01:00Z clocks go 02:00 -> 03:00,
    // 2026-10-25 01:00Z clocks go 03:00 -> 02:00. America/New_York: EDT = UTC-4, EST = UTC-5;
    // 2026-11-01 06:00Z clocks go 02:00 -> 01:00.
    [Theory]
    // Daily at 02:00 UTC: a tick is never its own successor.
    [InlineData("0 2 * * *", "UTC", null, "2026-01-10T02:00:00Z", "2026-01-11T02:00:00Z")]
    [InlineData("0 2 * * *", "UTC", null, "2026-01-10T01:59:59Z", "2026-01-10T02:00:00Z")]
    // 02:30 on 2026-03-28 is CET: 01:30Z. On 03-29 02:30 does not exist; it fires when the gap
    // ends, 03:00 CEST = 01:00Z. On 03-30 02:30 CEST = 00:30Z.
    [InlineData("30 2 * * *", "Europe/Amsterdam", null, "2026-03-28T00:00:00Z", "2026-03-28T01:30:00Z")]
    [InlineData("30 2 * * *", "Europe/Amsterdam", null, "2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("30 2 * * *", "Europe/Amsterdam", null, "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z")]
    // 02:30 on 2026-10-25 happens twice (00:30Z CEST, 01:30Z CET); it fires once, at 00:30Z.
    [InlineData("30 2 * * *", "Europe/Amsterdam", null, "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z")]
    [InlineData("30 2 * * *", "Europe/Amsterdam", null, "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z")]
    // From inside the repeated hour (01:20Z reads 02:20 CET) the second 02:30 (01:30Z) is not a tick.
    [InlineData("30 2 * * *", "Europe/Amsterdam", null, "2026-10-25T01:20:00Z", "2026-10-26T01:30:00Z")]
    // Hourly on the spring-forward day: 01:00 CET = 00:00Z, then 02:00 (missing) and 03:00 CEST
    // are both 01:00Z, a single tick; 04:00 CEST = 02:00Z.
    [InlineData("0 * * * *", "Europe/Amsterdam", null, "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("0 * * * *", "Europe/Amsterdam", null, "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")]
    // Hourly on the fall-back day: 02:00 CEST = 00:00Z; a wildcard hour runs on the real clock,
    // so the second 02:00 (CET, 01:00Z) ticks too; 03:00 CET = 02:00Z.
    [InlineData("0 * * * *", "Europe/Amsterdam", null, "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z")]
    [InlineData("0 * * * *", "Europe/Amsterdam", null, "2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z")]
    [InlineData("0 * * * *", "Europe/Amsterdam", null, "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z")]
    // A 6-field cron (seconds first) at 02:00:30 falls in the gap too: 01:00:00Z.
    [InlineData("30 0 2 * * *", "Europe/Amsterdam", null, "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("*/20 * * * * *", "UTC", null, "2026-05-04T10:00:05Z", "2026-05-04T10:00:20Z")]
    // A gap at midnight: Sao Paulo skipped 2018-11-04 00:00 -03 -> 01:00 -02 (03:00Z), so
    // @daily fired at 01:00 -02 = 03:00Z that day.
    [InlineData("@daily", "America/Sao_Paulo", null, "2018-11-03T12:00:00Z", "2018-11-04T03:00:00Z")]
    [InlineData("@daily", "America/Sao_Paulo", null, "2018-11-04T03:00:00Z", "2018-11-05T02:00:00Z")]
    // Every second through the repeated hour, second pass included: from 01:00Z (02:00:00 CET)
    // the next tick is one second later.
    [InlineData("* * * * * *", "Europe/Amsterdam", null, "2026-10-25T01:00:00Z", "2026-10-25T01:00:01Z")]
    [InlineData("* * * * * *", "Europe/Amsterdam", null, "2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z")]
    // Business hours in New York: Friday 2026-10-30 17:00 EDT = 21:00Z is the week's last;
    // the next is Monday 2026-11-02 09:00 EST = 14:00Z.
    [InlineData("0 9-17 * * 1-5", "America/New_York", null, "2026-10-30T21:00:00Z", "2026-11-02T14:00:00Z")]
    [InlineData("0 9-17 * * 1-5", "America/New_York", null, "2026-10-30T12:00:00Z", "2026-10-30T13:00:00Z")]
    // Feb 29 only exists in leap years: after 2026-03-01 the next is 2028-02-29.
    [InlineData("0 0 29 2 *", "UTC", null, "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    // The 31st skips the short months: after Jan 31 comes Mar 31.
    [InlineData("0 0 31 * *", "UTC", null, "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z")]
    // @weekly is Sunday 00:00: after Wednesday 2026-03-04 comes Sunday 03-08.
    [InlineData("@weekly", "UTC", null, "2026-03-04T00:00:00Z", "2026-03-08T00:00:00Z")]
    // @weekly in Amsterdam: Sunday 2026-04-05 00:00 CEST = 04-04 22:00Z.
    [InlineData("@weekly", "Europe/Amsterdam", null, "2026-03-28T23:00:00Z", "2026-04-04T22:00:00Z")]
    // @monthly on Dec 31 rolls into the next year.
    [InlineData("@monthly", "UTC", null, "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z")]
    // every 15m anchored at 10:07: 10:07, 10:22, 10:37 ... in absolute time.
    [InlineData("every 15m", "UTC", "2026-05-04T10:07:00Z", "2026-05-04T10:30:00Z", "2026-05-04T10:37:00Z")]
    [InlineData("every 15m", "UTC", "2026-05-04T10:07:00Z", "2026-05-04T10:37:00Z", "2026-05-04T10:52:00Z")]
    // Before the anchor the same grid extends backwards: 10:07 - 15m = 09:52.
    [InlineData("every 15m", "UTC", "2026-05-04T10:07:00Z", "2026-05-04T09:40:00Z", "2026-05-04T09:52:00Z")]
    // Without an anchor the grid starts at the Unix epoch, so it falls on quarter hours.
    [InlineData("every 15m", "UTC", null, "2026-05-04T10:07:00Z", "2026-05-04T10:15:00Z")]
    // Intervals ignore DST: every 1h steps across the Amsterdam gap one UTC hour at a time.
    [InlineData("every 1h", "Europe/Amsterdam", null, "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z")]
    // @once ticks at its anchor, once.
    [InlineData("@once", "UTC", "2026-06-01T12:00:00Z", "2026-01-01T00:00:00Z", "2026-06-01T12:00:00Z")]
    [InlineData("@once", "UTC", "2026-06-01T12:00:00Z", "2026-06-01T12:00:00Z", null)]
    [InlineData("@once", "UTC", null, "2026-01-01T00:00:00Z", null)]
    public void NextTick_Table_IsFirstTickStrictlyAfter(string schedule, string zone, string? anchor, string after, string? expected)
    {
        var next = Parse(schedule).NextTick(At(after), Zone(zone), AtOrNull(anchor));

        Assert.Equal(AtOrNull(expected), next);
        Assert.True(next is null || next.Value.Offset == TimeSpan.Zero);
    }

    [Theory]
    [InlineData("0 2 * * *", "UTC", null, "2026-01-10T02:00:00Z", "2026-01-10T02:00:00Z")]
    [InlineData("30 2 * * *", "Europe/Amsterdam", null, "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("every 15m", "UTC", "2026-05-04T10:07:00Z", "2026-05-04T10:07:00Z", "2026-05-04T10:07:00Z")]
    [InlineData("@once", "UTC", "2026-06-01T12:00:00Z", "2026-06-01T12:00:00Z", "2026-06-01T12:00:00Z")]
    public void TickAtOrAfter_OnATick_ReturnsThatTick(string schedule, string zone, string? anchor, string at, string expected) =>
        Assert.Equal(At(expected), Parse(schedule).TickAtOrAfter(At(at), Zone(zone), AtOrNull(anchor)));

    [Theory]
    // The repeated 02:00 (CET, 01:00Z) ticks for an hourly cron, but not for a fixed 02:00.
    [InlineData("0 * * * *", "Europe/Amsterdam", null, "2026-10-25T01:30:00Z", "2026-10-25T01:00:00Z")]
    [InlineData("0 2 * * *", "Europe/Amsterdam", null, "2026-10-25T01:30:00Z", "2026-10-25T00:00:00Z")]
    [InlineData("0 2 * * *", "UTC", null, "2026-01-10T02:00:00Z", "2026-01-10T02:00:00Z")]
    [InlineData("0 2 * * *", "UTC", null, "2026-01-10T01:59:00Z", "2026-01-09T02:00:00Z")]
    [InlineData("0 0 29 2 *", "UTC", null, "2028-02-28T00:00:00Z", "2024-02-29T00:00:00Z")]
    [InlineData("every 15m", "UTC", "2026-05-04T10:07:00Z", "2026-05-04T10:36:59Z", "2026-05-04T10:22:00Z")]
    [InlineData("@once", "UTC", "2026-06-01T12:00:00Z", "2026-05-01T00:00:00Z", null)]
    public void LatestTickAtOrBefore_Table(string schedule, string zone, string? anchor, string at, string? expected) =>
        Assert.Equal(AtOrNull(expected), Parse(schedule).LatestTickAtOrBefore(At(at), Zone(zone), AtOrNull(anchor)));

    [Fact]
    public void LatestTickAtOrBefore_TickBeforeLowerBound_ReturnsNull() =>
        Assert.Null(Parse("0 2 * * *").LatestTickAtOrBefore(
            At("2026-01-10T12:00:00Z"), Zone("UTC"), null, notBefore: At("2026-01-10T02:00:01Z")));

    [Fact]
    public void NextTick_AfterWithOffset_ReturnsUtcInstant()
    {
        // 2026-01-10T03:00+01:00 is 02:00Z, a tick; the next is a day later.
        var next = Parse("0 2 * * *").NextTick(At("2026-01-10T03:00:00+01:00"), Zone("UTC"), null);

        Assert.Equal(At("2026-01-11T02:00:00Z"), next);
        Assert.Equal(TimeSpan.Zero, next!.Value.Offset);
    }

    [Fact]
    public void NextTick_CronThatNeverMatches_ReturnsNull() =>
        Assert.Null(Parse("0 0 30 2 *").NextTick(At("2026-01-01T00:00:00Z"), Zone("UTC"), null));

    [Fact]
    public void IntervalStartingAt_Once_IsTheSingleInstant()
    {
        var start = At("2026-06-01T12:00:00Z");

        Assert.Equal(new(start, start), Parse("@once").IntervalStartingAt(start, Zone("UTC"), start));
    }

    [Fact]
    public void IntervalAfter_HourlyOverFallBack_IsOneRealHour()
    {
        // [00:00Z, 01:00Z]: the first 02:00 (CEST) up to the second (CET).
        var schedule = Parse("0 * * * *");
        var zone = Zone("Europe/Amsterdam");
        var before = schedule.IntervalStartingAt(At("2026-10-24T23:00:00Z"), zone, null)!;

        var next = schedule.IntervalAfter(before, zone, null);

        Assert.Equal(new(At("2026-10-25T00:00:00Z"), At("2026-10-25T01:00:00Z")), next);
    }

    [Fact]
    public void NextTick_HourlyAmsterdamOverAYear_TicksEveryRealHour()
    {
        // From 2026-01-01 00:00 CET to 2027-01-01 00:00 CET there are 8760 real hours: the
        // missing 02:00 shares 03:00's instant, and the repeated 02:00 ticks on both passes.
        var schedule = Parse("0 * * * *");
        var zone = Zone("Europe/Amsterdam");
        var end = At("2026-12-31T23:00:00Z"); // 2027-01-01 00:00 CET
        var tick = At("2025-12-31T23:00:00Z"); // 2026-01-01 00:00 CET
        var count = 0;
        while (schedule.NextTick(tick, zone, null) is { } next && next <= end)
        {
            Assert.Equal(TimeSpan.FromHours(1), next - tick);
            tick = next;
            count++;
        }

        Assert.Equal(8760, count);
    }
}
