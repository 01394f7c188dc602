using Weft.Core.Scheduling;
using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

public sealed class RunPlannerDueRunsTests
{
    private static readonly DateTimeOffset LongAgo = At("2000-01-01T00:00:00Z");

    [Fact]
    public void DueRuns_CatchupHourlyStartedFiveHoursAgo_CreatesFiveRunsOldestFirst()
    {
        // Intervals [10,11] ... [14,15] have ended by 15:00; [15,16] has not.
        var dag = Dag("@hourly", start: "2026-04-10T10:00:00Z", catchup: true);

        var runs = RunPlanner.DueRuns(dag, At("2026-04-10T15:00:00Z"), null, LongAgo);

        Assert.Equal(
            [
                "2026-04-10T10:00:00Z..2026-04-10T11:00:00Z",
                "2026-04-10T11:00:00Z..2026-04-10T12:00:00Z",
                "2026-04-10T12:00:00Z..2026-04-10T13:00:00Z",
                "2026-04-10T13:00:00Z..2026-04-10T14:00:00Z",
                "2026-04-10T14:00:00Z..2026-04-10T15:00:00Z",
            ],
            Describe(runs));
    }

    [Fact]
    public void DueRuns_NoCatchup_CreatesOnlyTheLatestEndedInterval()
    {
        var dag = Dag("@hourly", start: "2026-04-10T10:00:00Z", catchup: false);

        var runs = RunPlanner.DueRuns(dag, At("2026-04-10T15:00:00Z"), null, LongAgo);

        Assert.Equal(["2026-04-10T14:00:00Z..2026-04-10T15:00:00Z"], Describe(runs));
    }

    [Theory]
    // Two intervals ended after the last created run (12:00): [13,14] and [14,15].
    [InlineData(true, "2026-04-10T12:00:00Z", new[] { "2026-04-10T13:00:00Z..2026-04-10T14:00:00Z", "2026-04-10T14:00:00Z..2026-04-10T15:00:00Z" })]
    [InlineData(false, "2026-04-10T12:00:00Z", new[] { "2026-04-10T14:00:00Z..2026-04-10T15:00:00Z" })]
    // The latest ended interval already exists: nothing to do.
    [InlineData(true, "2026-04-10T14:00:00Z", new string[0])]
    [InlineData(false, "2026-04-10T14:00:00Z", new string[0])]
    public void DueRuns_AfterLastLogicalDate(bool catchup, string last, string[] expected)
    {
        var dag = Dag("@hourly", start: "2026-04-10T10:00:00Z", catchup: catchup);

        var runs = RunPlanner.DueRuns(dag, At("2026-04-10T15:30:00Z"), At(last), LongAgo);

        Assert.Equal(expected, Describe(runs));
    }

    [Theory]
    // No start_date: intervals begin at the first tick at or after registration (12:10 -> 13:00).
    [InlineData(true, new[] { "2026-04-10T13:00:00Z..2026-04-10T14:00:00Z", "2026-04-10T14:00:00Z..2026-04-10T15:00:00Z" })]
    [InlineData(false, new[] { "2026-04-10T14:00:00Z..2026-04-10T15:00:00Z" })]
    public void DueRuns_NoStartDate_StartsFromRegistration(bool catchup, string[] expected)
    {
        var dag = Dag("@hourly", catchup: catchup);

        var runs = RunPlanner.DueRuns(dag, At("2026-04-10T15:00:00Z"), null, At("2026-04-10T12:10:00Z"));

        Assert.Equal(expected, Describe(runs));
    }

    [Fact]
    public void DueRuns_CatchupWithEndDate_StopsAtTheLastLogicalDate()
    {
        // end_date 12:00 is inclusive: [12,13] is the last run, due at 13:00.
        var dag = Dag("@hourly", start: "2026-04-10T10:00:00Z", end: "2026-04-10T12:00:00Z", catchup: true);

        var runs = RunPlanner.DueRuns(dag, At("2026-04-10T15:00:00Z"), null, LongAgo);

        Assert.Equal(
            [
                "2026-04-10T10:00:00Z..2026-04-10T11:00:00Z",
                "2026-04-10T11:00:00Z..2026-04-10T12:00:00Z",
                "2026-04-10T12:00:00Z..2026-04-10T13:00:00Z",
            ],
            Describe(runs));
    }

    [Fact]
    public void DueRuns_NoCatchupLatestIntervalPastEndDate_IsEmpty()
    {
        // The latest ended interval, [14,15], starts after end_date: as in Airflow nothing is due.
        var dag = Dag("@hourly", start: "2026-04-10T10:00:00Z", end: "2026-04-10T12:00:00Z", catchup: false);

        Assert.Empty(RunPlanner.DueRuns(dag, At("2026-04-10T15:00:00Z"), null, LongAgo));
    }

    [Fact]
    public void DueRuns_BeforeFirstIntervalEnds_IsEmpty()
    {
        // The first interval [10,11] ends at 11:00.
        var dag = Dag("@hourly", start: "2026-04-10T10:00:00Z", catchup: true);

        Assert.Empty(RunPlanner.DueRuns(dag, At("2026-04-10T10:59:59Z"), null, LongAgo));
    }

    [Fact]
    public void DueRuns_CatchupFromYearsAgo_IsCappedAndResumes()
    {
        var dag = Dag("@hourly", start: "2024-01-01T00:00:00Z", catchup: true);
        var now = At("2026-04-10T15:00:00Z");

        var first = RunPlanner.DueRuns(dag, now, null, LongAgo);
        var second = RunPlanner.DueRuns(dag, now, first[^1].LogicalDate, LongAgo);

        Assert.Equal(RunPlanner.MaxDueRuns, first.Count);
        Assert.Equal(At("2024-01-01T00:00:00Z"), first[0].LogicalDate);
        // 1,000 hours after 2024-01-01 00:00 is 2024-02-11 16:00 (41 days and 16 hours).
        Assert.Equal(At("2024-02-11T16:00:00Z"), second[0].LogicalDate);
    }

    [Fact]
    public void DueRuns_NoCatchupAfterALongPause_FindsTheLatestInterval()
    {
        // Years of missed hours are skipped, not walked: the latest ended interval is [14,15].
        var dag = Dag("@hourly", start: "2020-01-01T00:00:00Z", catchup: false);

        var runs = RunPlanner.DueRuns(dag, At("2026-04-10T15:30:00Z"), At("2020-01-01T00:00:00Z"), LongAgo);

        Assert.Equal(["2026-04-10T14:00:00Z..2026-04-10T15:00:00Z"], Describe(runs));
    }

    [Theory]
    // Before start_date nothing; at start_date one run; once created, never again.
    [InlineData("2026-06-01T11:59:59Z", null, 0)]
    [InlineData("2026-06-01T12:00:00Z", null, 1)]
    [InlineData("2027-01-01T00:00:00Z", null, 1)]
    [InlineData("2027-01-01T00:00:00Z", "2026-06-01T12:00:00Z", 0)]
    public void DueRuns_Once_RunsAtStartDate(string now, string? last, int expected)
    {
        var dag = Dag("@once", start: "2026-06-01T12:00:00Z", catchup: true);

        var runs = RunPlanner.DueRuns(dag, At(now), AtOrNull(last), LongAgo);

        Assert.Equal(expected, runs.Count);
        Assert.All(runs, r => Assert.Equal(["2026-06-01T12:00:00Z..2026-06-01T12:00:00Z"], Describe([r])));
    }

    [Fact]
    public void DueRuns_OnceWithoutStartDate_RunsAtRegistration()
    {
        var registered = At("2026-06-01T08:15:00Z");

        var runs = RunPlanner.DueRuns(Dag("@once"), At("2026-06-01T08:16:00Z"), null, registered);

        Assert.Equal(["2026-06-01T08:15:00Z..2026-06-01T08:15:00Z"], Describe(runs));
    }

    [Fact]
    public void DueRuns_EveryWithoutStartDate_KeepsTheEpochGrid()
    {
        // Registered 10:07; the epoch grid of 15m gives 10:15, so [10:15, 10:30] is due at 10:30.
        var runs = RunPlanner.DueRuns(Dag("every 15m", catchup: true), At("2026-05-04T10:31:00Z"), null, At("2026-05-04T10:07:00Z"));

        Assert.Equal(["2026-05-04T10:15:00Z..2026-05-04T10:30:00Z"], Describe(runs));
    }

    [Fact]
    public void DueRuns_ManualOnlyDag_IsEmpty() =>
        Assert.Empty(RunPlanner.DueRuns(Dag(null, catchup: true), At("2026-04-10T15:00:00Z"), null, LongAgo));
}
