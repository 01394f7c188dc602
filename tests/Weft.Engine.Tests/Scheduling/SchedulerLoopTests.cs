using Weft.Core.Runs;

namespace Weft.Engine.Tests.Scheduling;

public sealed class SchedulerLoopTests
{
    // 10:30 UTC: hourly intervals end on the hour, so the latest ended at 10:00.
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 30, 0, TimeSpan.Zero);

    private static string Hourly(string id, bool catchup, int maxActiveRuns = 16, string start = "2026-03-10T05:00:00Z") => $"""
        id: {id}
        schedule: "@hourly"
        start_date: {start}
        catchup: {(catchup ? "true" : "false")}
        max_active_runs: {maxActiveRuns}
        tasks:
          - id: a
            command: echo a
        """;

    [Fact]
    public async Task Catchup_CreatesEveryMissedIntervalOldestFirst_AndOnlyOnce()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: true));

        await f.PassAsync();
        await f.PassAsync();
        f.Clock.Advance(TimeSpan.FromMinutes(10));
        await f.PassAsync();

        var runs = await f.RunsAsync("h");
        Assert.Equal(
            ["scheduled__2026-03-10T05:00:00.000Z", "scheduled__2026-03-10T06:00:00.000Z", "scheduled__2026-03-10T07:00:00.000Z",
             "scheduled__2026-03-10T08:00:00.000Z", "scheduled__2026-03-10T09:00:00.000Z"],
            runs.Select(r => r.RunId));
        Assert.All(runs, r => Assert.Equal("scheduled", r.RunType));
        Assert.All(runs, r => Assert.Equal(RunState.Queued, r.State));
        Assert.Equal(runs[4].LogicalDate!.Value.AddHours(1), runs[4].DataIntervalEnd);
    }

    [Fact]
    public async Task NextInterval_IsCreatedWhenItEnds()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: false));
        await f.PassAsync();
        Assert.Single(await f.RunsAsync("h"));

        f.Clock.Advance(TimeSpan.FromMinutes(29));
        await f.PassAsync();
        Assert.Single(await f.RunsAsync("h"));

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.PassAsync();
        await f.PassAsync();
        var runs = await f.RunsAsync("h");
        Assert.Equal(["scheduled__2026-03-10T09:00:00.000Z", "scheduled__2026-03-10T10:00:00.000Z"], runs.Select(r => r.RunId));
    }

    [Fact]
    public async Task NoCatchup_CreatesOnlyTheLatestEndedInterval()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: false));

        await f.PassAsync();

        var run = Assert.Single(await f.RunsAsync("h"));
        Assert.Equal("scheduled__2026-03-10T09:00:00.000Z", run.RunId);
    }

    [Fact]
    public async Task NoCatchup_AfterADowntime_SkipsTheMissedIntervals()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: false));
        await f.PassAsync();

        f.Clock.Advance(TimeSpan.FromHours(5));
        await f.PassAsync();

        var runs = await f.RunsAsync("h");
        Assert.Equal(["scheduled__2026-03-10T09:00:00.000Z", "scheduled__2026-03-10T14:00:00.000Z"], runs.Select(r => r.RunId));
    }

    [Fact]
    public async Task MaxActiveRuns_LimitsRunsQueuedOrRunning()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: true, maxActiveRuns: 2));

        await f.PassAsync();
        await f.PassAsync();
        var runs = await f.RunsAsync("h");
        Assert.Equal(2, runs.Count);

        await f.FinishAsync(runs[0]);
        await f.PassAsync();
        runs = await f.RunsAsync("h");
        Assert.Equal(3, runs.Count);
        Assert.Equal(2, runs.Count(r => r.State == RunState.Queued));
        Assert.Equal("scheduled__2026-03-10T07:00:00.000Z", runs[2].RunId);
    }

    [Fact]
    public async Task PausedDag_GetsNoRuns_UntilUnpaused()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: false));
        await f.Loop.Registry.SyncAsync(force: true, CancellationToken.None);
        Assert.True(await f.Store.SetPausedAsync("h", true, CancellationToken.None));

        await f.PassAsync();
        Assert.Empty(await f.RunsAsync("h"));

        await f.Store.SetPausedAsync("h", false, CancellationToken.None);
        await f.PassAsync();
        Assert.Single(await f.RunsAsync("h"));
    }

    [Fact]
    public async Task ManualRunAtATick_IsNotDuplicated()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: false));
        await f.Loop.Registry.SyncAsync(force: true, CancellationToken.None);
        var dag = f.Loop.Registry.Dags["h"].Definition;
        var taken = Execution.RunFactory.NewRun(dag, "manual__x", "manual", Now.AddMinutes(-90), Now.AddMinutes(-90), Now.AddMinutes(-30), dag.Params, null, Now);
        await f.Store.CreateRunAsync(taken with { LogicalDate = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero) }, [], CancellationToken.None);

        await f.PassAsync();
        await f.PassAsync();

        Assert.Equal(["manual__x"], (await f.RunsAsync("h")).Select(r => r.RunId));
    }

    [Fact]
    public async Task ManyDagsDueAtOnce_AreCreatedInOnePass_AndNotAgainUntilTheNextInterval()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        for (var i = 0; i < 50; i++)
        {
            f.WriteDag($"h{i:D2}.yaml", Hourly($"h{i:D2}", catchup: false));
        }

        await f.PassAsync();
        await f.PassAsync();
        var all = (await f.Store.ListRunsAsync(new Storage.RunQuery(Limit: 1000), CancellationToken.None)).Items;
        Assert.Equal(50, all.Count);
        Assert.All(all, r => Assert.Equal("scheduled__2026-03-10T09:00:00.000Z", r.RunId));

        f.Clock.Advance(TimeSpan.FromMinutes(30));
        await f.PassAsync();
        all = (await f.Store.ListRunsAsync(new Storage.RunQuery(Limit: 1000), CancellationToken.None)).Items;
        Assert.Equal(100, all.Count);
        Assert.Equal(50, all.Count(r => r.RunId == "scheduled__2026-03-10T10:00:00.000Z"));
    }

    [Fact]
    public async Task DagPausedOverItsDueTime_GetsTheRunWhenUnpaused()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: false));
        await f.PassAsync();
        Assert.Single(await f.RunsAsync("h"));

        await f.Store.SetPausedAsync("h", true, CancellationToken.None);
        f.Clock.Advance(TimeSpan.FromMinutes(45));
        await f.PassAsync();
        Assert.Single(await f.RunsAsync("h"));

        await f.Store.SetPausedAsync("h", false, CancellationToken.None);
        await f.PassAsync();
        Assert.Equal(["scheduled__2026-03-10T09:00:00.000Z", "scheduled__2026-03-10T10:00:00.000Z"], (await f.RunsAsync("h")).Select(r => r.RunId));
    }

    [Fact]
    public async Task ChangedSchedule_IsPlannedAgainAtOnce()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        f.WriteDag("h.yaml", Hourly("h", catchup: false));
        await f.PassAsync();
        Assert.Single(await f.RunsAsync("h"));

        // Every 15 minutes: the interval 10:15-10:30 has ended, though the hourly schedule had nothing due before 11:00.
        f.WriteDag("h.yaml", Hourly("h", catchup: false).Replace("@hourly", "*/15 * * * *"));
        File.SetLastWriteTimeUtc(Path.Combine(f.DagsFolder, "h.yaml"), DateTime.UtcNow.AddMinutes(1));
        await f.PassAsync();
        Assert.Equal("scheduled__2026-03-10T10:15:00.000Z", (await f.RunsAsync("h"))[^1].RunId);
    }

    [Fact]
    public async Task ChangedFile_IsRegisteredAgain_BrokenFileKeepsTheLastGoodVersion()
    {
        await using var f = await SchedulerFixture.CreateAsync(Now);
        var path = f.WriteDag("h.yaml", Hourly("h", catchup: false));
        await f.PassAsync();
        var first = await f.Store.GetDagAsync("h", CancellationToken.None);
        Assert.NotNull(first);
        Assert.Equal(path, first.FilePath);
        Assert.Null(first.LoadError);

        File.WriteAllText(path, Hourly("h", catchup: false).Replace("echo a", "echo b", StringComparison.Ordinal));
        await f.Loop.Registry.SyncAsync(force: true, CancellationToken.None);
        var second = await f.Store.GetDagAsync("h", CancellationToken.None);
        Assert.NotEqual(first.Hash, second!.Hash);
        Assert.Equal("echo b", f.Loop.Registry.Dags["h"].Definition.Tasks[0].Command);

        File.WriteAllText(path, "id: h\ntasks:\n  - id: a\n    depends_on: [ghost]\n");
        await f.Loop.Registry.SyncAsync(force: true, CancellationToken.None);
        var broken = await f.Store.GetDagAsync("h", CancellationToken.None);
        Assert.NotNull(broken!.LoadError);
        Assert.Contains("ghost", broken.LoadError, StringComparison.Ordinal);
        Assert.Equal(second.Source, broken.Source);
        Assert.Equal("echo b", f.Loop.Registry.Dags["h"].Definition.Tasks[0].Command);

        // Still scheduled with the last good version.
        f.Clock.Advance(TimeSpan.FromHours(1));
        await f.PassAsync();
        Assert.Equal(2, (await f.RunsAsync("h")).Count);
    }

    [Fact]
    public async Task PassAsync_SleepsUntilTheNextRunIsDue_AtMostASecond()
    {
        await using var f = await SchedulerFixture.CreateAsync(new DateTimeOffset(2026, 3, 10, 10, 0, 0, 400, TimeSpan.Zero));
        f.WriteDag("t.yaml", """
            id: t
            schedule: every 2s
            tasks:
              - id: a
            """);

        var sleep = await f.Loop.PassAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(1), sleep);

        f.Clock.Advance(TimeSpan.FromMilliseconds(1300));
        sleep = await f.Loop.PassAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromMilliseconds(300), sleep);
    }
}
