using Weft.Core.Scheduling;
using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

public sealed class RunPlannerBackfillTests
{
    [Theory]
    // Both bounds inclusive: Jan 1, 2 and 3.
    [InlineData("2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z", new[] { "2026-01-01", "2026-01-02", "2026-01-03" })]
    // A bound off the grid: the first logical date at or after `from`, the last at or before `to`.
    [InlineData("2026-01-01T00:00:01Z", "2026-01-03T23:59:59Z", new[] { "2026-01-02", "2026-01-03" })]
    // A single instant on a tick.
    [InlineData("2026-01-02T00:00:00Z", "2026-01-02T00:00:00Z", new[] { "2026-01-02" })]
    // A range holding no tick.
    [InlineData("2026-01-02T00:00:01Z", "2026-01-02T23:59:59Z", new string[0])]
    public void Backfill_Daily_OneRunPerLogicalDateInRange(string from, string to, string[] expectedDays)
    {
        var runs = RunPlanner.Backfill(Dag("@daily"), At(from), At(to));

        Assert.Equal(expectedDays.Select(d => At(d + "T00:00:00Z")), runs.Select(r => r.LogicalDate));
        Assert.All(runs, r => Assert.Equal(r.LogicalDate.AddDays(1), r.RunAfter));
    }

    [Fact]
    public void Backfill_IgnoresStartAndEndDate()
    {
        // start_date and end_date bound the scheduler; an explicit range is taken as given.
        var dag = Dag("@daily", start: "2026-06-01T00:00:00Z", end: "2026-06-30T00:00:00Z");

        var runs = RunPlanner.Backfill(dag, At("2026-01-01T00:00:00Z"), At("2026-01-02T00:00:00Z"));

        Assert.Equal(2, runs.Count);
    }

    [Fact]
    public void Backfill_AmsterdamHourlyOverSpringForward_UsesZoneTicks()
    {
        // 00:00Z (01:00 CET), 01:00Z (the missing 02:00 and 03:00 CEST as one), 02:00Z (04:00 CEST).
        var runs = RunPlanner.Backfill(Dag("0 * * * *", "Europe/Amsterdam"), At("2026-03-29T00:00:00Z"), At("2026-03-29T02:00:00Z"));

        Assert.Equal(
            [
                "2026-03-29T00:00:00Z..2026-03-29T01:00:00Z",
                "2026-03-29T01:00:00Z..2026-03-29T02:00:00Z",
                "2026-03-29T02:00:00Z..2026-03-29T03:00:00Z",
            ],
            Describe(runs));
    }

    [Fact]
    public void Backfill_EveryAnchoredAtStartDate_FollowsTheAnchorGrid()
    {
        // Anchor 10:07: ticks 10:07, 10:22, 10:37 lie in [10:00, 10:40].
        var dag = Dag("every 15m", start: "2026-05-04T10:07:00Z");

        var runs = RunPlanner.Backfill(dag, At("2026-05-04T10:00:00Z"), At("2026-05-04T10:40:00Z"));

        Assert.Equal(
            [At("2026-05-04T10:07:00Z"), At("2026-05-04T10:22:00Z"), At("2026-05-04T10:37:00Z")],
            runs.Select(r => r.LogicalDate));
    }

    [Fact]
    public void Backfill_Once_IncludesStartDateWhenInRange()
    {
        var dag = Dag("@once", start: "2026-06-01T12:00:00Z");

        Assert.Single(RunPlanner.Backfill(dag, At("2026-06-01T00:00:00Z"), At("2026-06-01T12:00:00Z")));
        Assert.Empty(RunPlanner.Backfill(dag, At("2026-06-02T00:00:00Z"), At("2026-06-03T00:00:00Z")));
    }

    [Fact]
    public void Backfill_ToBeforeFrom_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            RunPlanner.Backfill(Dag("@daily"), At("2026-01-03T00:00:00Z"), At("2026-01-01T00:00:00Z")));

    [Fact]
    public void Backfill_MoreRunsThanAllowed_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            RunPlanner.Backfill(Dag("@hourly"), At("2026-01-01T00:00:00Z"), At("2026-01-02T00:00:00Z"), maxRuns: 24));

    [Fact]
    public void Backfill_ExactlyMaxRuns_Succeeds() =>
        // 00:00 through 23:00 is 24 logical dates.
        Assert.Equal(24, RunPlanner.Backfill(Dag("@hourly"), At("2026-01-01T00:00:00Z"), At("2026-01-01T23:00:00Z"), maxRuns: 24).Count);

    [Fact]
    public void Backfill_ManualOnlyDag_IsEmpty() =>
        Assert.Empty(RunPlanner.Backfill(Dag(null), At("2026-01-01T00:00:00Z"), At("2026-01-02T00:00:00Z")));
}
