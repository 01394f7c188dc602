using System.Globalization;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Cli.Tests.Scheduling;

/// <summary>The real <c>weft scheduler</c> binary on a real DAGs folder.</summary>
public sealed class SchedulerProcessTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task HourlyWithCatchup_FromFiveHoursBack_CreatesExactlyFiveRuns()
    {
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        _dir.Write("dags/hourly.yaml", """
            id: hourly
            schedule: "@hourly"
            start_date: START
            catchup: true
            max_active_runs: 2
            tasks:
              - id: a
                command: echo ${{ run.logical_date }}
            """.Replace("START", Iso(hour.AddHours(-5)), StringComparison.Ordinal));
        await using var scheduler = SchedulerProcess.Start(_dir);

        var runs = await scheduler.WaitForRunsAsync("hourly", r => r.Count >= 5 && SchedulerProcess.AllSucceeded(r), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));
        runs = await scheduler.RunsAsync("hourly");

        Assert.True(runs.Count == 5, scheduler.Log);
        Assert.True(SchedulerProcess.AllSucceeded(runs), scheduler.Log);
        Assert.Equal(
            Enumerable.Range(0, 5).Select(i => "scheduled__" + hour.AddHours(i - 5).UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm':'ss'.000Z'", CultureInfo.InvariantCulture)),
            runs.Select(r => r.RunId));
    }

    [Fact]
    public async Task EditedFile_ChangesWhatRunsWithinSeconds()
    {
        var start = Iso(DateTimeOffset.UtcNow.AddHours(-1));
        string Dag(string marker) => $"""
            id: edited
            schedule: every 1s
            start_date: {start}
            tasks:
              - id: a
                command: touch {Path.Combine(_dir.Path, marker)}
            """;
        var path = _dir.Write("dags/edited.yaml", Dag("before.txt"));
        await using var scheduler = SchedulerProcess.Start(_dir);
        await WaitForFileAsync(Path.Combine(_dir.Path, "before.txt"), TimeSpan.FromSeconds(20), scheduler);

        File.WriteAllText(path, Dag("after.txt"));

        await WaitForFileAsync(Path.Combine(_dir.Path, "after.txt"), TimeSpan.FromSeconds(4), scheduler);
    }

    [Fact]
    public async Task PausedDag_GetsNoRuns()
    {
        _dir.Write("dags/paused.yaml", $"""
            id: paused
            schedule: every 1s
            start_date: {Iso(DateTimeOffset.UtcNow.AddHours(-1))}
            tasks:
              - id: a
            """);
        _dir.Write("dags/active.yaml", $"""
            id: active
            schedule: every 1s
            start_date: {Iso(DateTimeOffset.UtcNow.AddHours(-1))}
            tasks:
              - id: a
            """);
        var db = Path.Combine(_dir.Path, "home", "weft.db");
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        await using (var store = new SqliteStateStore(db))
        {
            // Registered paused before the scheduler first sees it; registration keeps the flag.
            await store.InitializeAsync(CancellationToken.None);
            await store.UpsertDagAsync(new DagRecord("paused", null, "", "", true, null, "[]", null, DateTimeOffset.UtcNow), CancellationToken.None);
        }

        await using var scheduler = SchedulerProcess.Start(_dir);
        var active = await scheduler.WaitForRunsAsync("active", r => r.Count >= 3, TimeSpan.FromSeconds(20));
        Assert.True(active.Count >= 3, scheduler.Log);

        Assert.Empty(await scheduler.RunsAsync("paused"));
        Assert.Contains("DAG paused:", scheduler.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriggeredRun_IsExecutedByTheRunningScheduler()
    {
        _dir.Write("dags/manual.yaml", """
            id: manual
            tasks:
              - id: a
                command: echo "${{ params.who }}" > OUT
            params: { who: nobody }
            """.Replace("OUT", Path.Combine(_dir.Path, "who.txt"), StringComparison.Ordinal));
        await using var scheduler = SchedulerProcess.Start(_dir);
        await WaitForFileAsync(scheduler.Database, TimeSpan.FromSeconds(20), scheduler);
        await Task.Delay(500);

        // What 'weft dags trigger' does: a queued manual run with no DAG file.
        await using (var store = new SqliteStateStore(scheduler.Database))
        {
            await store.InitializeAsync(CancellationToken.None);
            var dag = Core.Definitions.DagLoader.LoadFile(Path.Combine(_dir.Path, "dags", "manual.yaml")).Dag!;
            var conf = new Dictionary<string, System.Text.Json.JsonElement> { ["who"] = System.Text.Json.JsonDocument.Parse("\"me\"").RootElement };
            await new Engine.Operations.OperatorActions(store, TimeProvider.System)
                .CreateRunAsync(dag, new Engine.Operations.TriggerRequest(dag.Id, conf), dagFile: null, actor: null, CancellationToken.None);
        }

        // Picked up by its dispatcher's next pass (500 ms); the limit leaves room for a loaded machine.
        var runs = await scheduler.WaitForRunsAsync("manual", r => r.Count == 1 && r[0].State == RunState.Success, TimeSpan.FromSeconds(15));
        Assert.True(runs.Count == 1 && runs[0].State == RunState.Success, scheduler.Log);
        Assert.Equal("manual", runs[0].RunType);
        Assert.Equal("me", File.ReadAllText(Path.Combine(_dir.Path, "who.txt")).Trim());
    }

    private static async Task WaitForFileAsync(string path, TimeSpan within, SchedulerProcess scheduler)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            Assert.True(clock.Elapsed < within, $"{path} did not appear within {within.TotalSeconds} s\n{scheduler.Log}");
            await Task.Delay(100);
        }
    }
}
