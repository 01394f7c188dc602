using Microsoft.Extensions.Time.Testing;
using Weft.Core.Scheduling;
using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

// Drives DueRuns the way the scheduler loop does: a fake clock advancing in small steps, the
// last logical date carried forward, each run recorded with the time it was created.
public sealed class SchedulerClockTests
{
    // start_date is a tick half an hour before the clock starts, so the first interval ends
    // half an hour into the test.
    public static TheoryData<bool, string, string, string, string[]> Nights => new()
    {
        // Fall back, 2026-10-25: hourly ticks 23:00Z (01:00 CEST), 00:00Z (02:00 CEST), 01:00Z
        // (02:00 CET, the repeated hour: a wildcard hour runs on the real clock through both
        // passes), 02:00Z (03:00 CET). Each interval is one real hour.
        {
            false, "2026-10-24T22:00:00Z", "2026-10-24T22:30:00Z", "2026-10-25T03:30:00Z",
            [
                "2026-10-24T22:00:00Z..2026-10-24T23:00:00Z @2026-10-24T23:00:00Z",
                "2026-10-24T23:00:00Z..2026-10-25T00:00:00Z @2026-10-25T00:00:00Z",
                "2026-10-25T00:00:00Z..2026-10-25T01:00:00Z @2026-10-25T01:00:00Z",
                "2026-10-25T01:00:00Z..2026-10-25T02:00:00Z @2026-10-25T02:00:00Z",
                "2026-10-25T02:00:00Z..2026-10-25T03:00:00Z @2026-10-25T03:00:00Z",
            ]
        },
        // Spring forward, 2026-03-29: 00:00Z (01:00 CET), 01:00Z (02:00 and 03:00 as one),
        // 02:00Z (04:00 CEST). Catchup changes nothing for a scheduler that keeps up.
        {
            true, "2026-03-28T23:00:00Z", "2026-03-28T23:30:00Z", "2026-03-29T02:30:00Z",
            [
                "2026-03-28T23:00:00Z..2026-03-29T00:00:00Z @2026-03-29T00:00:00Z",
                "2026-03-29T00:00:00Z..2026-03-29T01:00:00Z @2026-03-29T01:00:00Z",
                "2026-03-29T01:00:00Z..2026-03-29T02:00:00Z @2026-03-29T02:00:00Z",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Nights))]
    public void DueRuns_FakeClockOverDstNight_CreatesEachIntervalOnceWhenItEnds(bool catchup, string start, string from, string until, string[] expected)
    {
        var clock = new FakeTimeProvider(At(from));
        var dag = Dag("0 * * * *", "Europe/Amsterdam", start: start, catchup: catchup);
        DateTimeOffset? last = null;
        var created = new List<string>();

        while (clock.GetUtcNow() <= At(until))
        {
            foreach (var run in RunPlanner.DueRuns(dag, clock.GetUtcNow(), last, At(from)))
            {
                created.Add($"{Describe([run])[0]} @{Iso(clock.GetUtcNow())}");
                last = run.LogicalDate;
            }

            clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(expected, created);
    }
}
