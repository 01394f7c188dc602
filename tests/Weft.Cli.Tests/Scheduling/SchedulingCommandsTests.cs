using System.CommandLine;
using System.Text.Json;
using Weft.Cli.Commands;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Cli.Tests.Scheduling;

/// <summary><c>weft run</c> with a small pool, <c>weft backfill</c>, and the <c>dags trigger</c> / <c>dags next-runs</c> subcommands.</summary>
public sealed class SchedulingCommandsTests : IDisposable
{
    private const string Daily = """
        id: daily
        schedule: "@daily"
        start_date: 2024-01-01
        params: { x: 0 }
        tasks:
          - id: a
            command: echo ${{ run.logical_date }} >> days.txt
        """;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Home => Path.Combine(_dir.Path, "home");

    private async Task<SqliteStateStore> OpenStoreAsync()
    {
        Directory.CreateDirectory(Home);
        var store = new SqliteStateStore(Path.Combine(Home, "weft.db"));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Run_OneSlotPool_RunsReadyTasksOneAtATime_HighestPriorityFirst()
    {
        _dir.Write("pooled.yaml", """
            id: pooled
            tasks:
              - id: low
                command: sleep 0.3
                pool: single
                priority: 1
              - id: high
                command: sleep 0.3
                pool: single
                priority: 9
              - id: mid
                command: sleep 0.3
                pool: single
                priority: 5
            """);
        await using (var store = await OpenStoreAsync())
        {
            await store.SetPoolAsync("single", 1, CancellationToken.None);
        }

        var result = await _dir.Weft().RunAsync("run", "pooled.yaml", "--json", "--home", Home);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var tasks = json.RootElement.GetProperty("tasks").EnumerateArray()
            .Select(t => (Id: t.GetProperty("task_id").GetString()!, Start: t.GetProperty("start_date").GetDateTimeOffset(), End: t.GetProperty("end_date").GetDateTimeOffset()))
            .OrderBy(t => t.Start)
            .ToList();
        Assert.Equal(["high", "mid", "low"], tasks.Select(t => t.Id));
        Assert.True(tasks[0].End <= tasks[1].Start && tasks[1].End <= tasks[2].Start, result.Stdout);
    }

    [Fact]
    public async Task Backfill_Twice_LeavesOneRunPerInterval()
    {
        _dir.Write("dags/daily.yaml", Daily);

        var first = await _dir.Weft().RunAsync("backfill", "daily", "--from", "2024-01-01", "--to", "2024-01-03", "--dags", "dags", "--home", Home);
        var second = await _dir.Weft().RunAsync("backfill", "daily", "--from", "2024-01-01", "--to", "2024-01-03", "--dags", "dags", "--home", Home);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("ran 3: 3 success, 0 failed; kept 0", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("ran 0: 0 success, 0 failed; kept 3", second.Stdout, StringComparison.Ordinal);
        await using var store = await OpenStoreAsync();
        var runs = (await store.ListRunsAsync(new RunQuery("daily"), CancellationToken.None)).Items.OrderBy(r => r.LogicalDate).ToList();
        Assert.Equal(["backfill__2024-01-01T00:00:00.000Z", "backfill__2024-01-02T00:00:00.000Z", "backfill__2024-01-03T00:00:00.000Z"], runs.Select(r => r.RunId));
        Assert.All(runs, r => Assert.Equal(RunState.Success, r.State));
        Assert.All(runs, r => Assert.Equal("backfill", r.RunType));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_dir.Path, "dags", "days.txt")).Length);
    }

    [Fact]
    public async Task Backfill_RerunFailed_RunsFailedRunsAgain()
    {
        var flag = Path.Combine(_dir.Path, "ok");
        _dir.Write("dags/flaky.yaml", $$"""
            id: flaky
            schedule: "@daily"
            start_date: 2024-01-01
            tasks:
              - id: a
                command: test -f {{flag}}
            """);

        var failed = await _dir.Weft().RunAsync("backfill", "flaky", "--from", "2024-01-01", "--to", "2024-01-02", "--dags", "dags", "--home", Home);
        File.WriteAllText(flag, "");
        var kept = await _dir.Weft().RunAsync("backfill", "flaky", "--from", "2024-01-01", "--to", "2024-01-02", "--dags", "dags", "--home", Home);
        var rerun = await _dir.Weft().RunAsync("backfill", "flaky", "--from", "2024-01-01", "--to", "2024-01-02", "--rerun-failed", "--dags", "dags", "--home", Home);

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("kept 2", kept.Stdout, StringComparison.Ordinal);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("ran 2: 2 success", rerun.Stdout, StringComparison.Ordinal);
        await using var store = await OpenStoreAsync();
        var runs = (await store.ListRunsAsync(new RunQuery("flaky"), CancellationToken.None)).Items;
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunState.Success, r.State));
    }

    [Fact]
    public async Task NextRuns_Json_ListsIntervalsAndRunTimes()
    {
        var path = _dir.Write("dags/daily.yaml", Daily);

        var (code, stdout, stderr) = await InvokeAsync("dags", "next-runs", path, "--after", "2024-03-01T12:00:00Z", "--count", "2", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal("2024-03-01T00:00:00.000Z", runs[0].GetProperty("logical_date").GetString());
        Assert.Equal("2024-03-01T00:00:00.000Z", runs[0].GetProperty("data_interval_start").GetString());
        Assert.Equal("2024-03-02T00:00:00.000Z", runs[0].GetProperty("data_interval_end").GetString());
        Assert.Equal("2024-03-02T00:00:00.000Z", runs[0].GetProperty("run_after").GetString());
        Assert.Equal("2024-03-03T00:00:00.000Z", runs[1].GetProperty("run_after").GetString());
    }

    [Theory]
    // A reversed range wraps: Fri, Sat, Sun, Mon, then Fri (2024-09-11 is a Wednesday).
    [InlineData("0 9 * * FRI-MON", "UTC", "2024-09-11T12:00:00Z", "2024-09-13T09:00:00Z 2024-09-14T09:00:00Z 2024-09-15T09:00:00Z 2024-09-16T09:00:00Z 2024-09-20T09:00:00Z")]
    // Day-of-week 7 is Sunday, so 5-7 is Friday to Sunday.
    [InlineData("0 12 * * 5-7", "UTC", "2024-09-11T12:00:00Z", "2024-09-13T12:00:00Z 2024-09-14T12:00:00Z 2024-09-15T12:00:00Z 2024-09-20T12:00:00Z")]
    // Every 13th and every Friday, not only Friday the 13th: Sunday 10-13 is among them.
    [InlineData("0 0 13 * 5", "UTC", "2024-10-01T00:00:00Z", "2024-10-04T00:00:00Z 2024-10-11T00:00:00Z 2024-10-13T00:00:00Z 2024-10-18T00:00:00Z")]
    // The repeated 01:00-02:00 in New York runs on the real clock: 06:00Z-06:45Z are the second pass.
    [InlineData("*/15 * * * *", "America/New_York", "2024-11-03T05:30:00Z", "2024-11-03T05:45:00Z 2024-11-03T06:00:00Z 2024-11-03T06:15:00Z 2024-11-03T06:30:00Z 2024-11-03T06:45:00Z 2024-11-03T07:00:00Z")]
    public async Task NextRuns_CronAsVixieCronReadsIt(string schedule, string zone, string after, string expected)
    {
        var path = _dir.Write("dags/cron.yaml", $"""
            id: cron
            schedule: "{schedule}"
            timezone: {zone}
            start_date: 2024-01-01
            tasks:
              - id: a
                command: echo a
            """);
        var runAfter = expected.Split(' ');

        var (code, stdout, stderr) = await InvokeAsync("dags", "next-runs", path, "--after", after, "--count", runAfter.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(runAfter.Select(t => t.Replace(":00Z", ":00.000Z", StringComparison.Ordinal)), runs.Select(r => r.GetProperty("run_after").GetString()));
    }

    [Fact]
    public async Task Trigger_QueuesAManualRun_AndPrintsItsIdAndAHint()
    {
        _dir.Write("dags/daily.yaml", Daily);

        var (code, stdout, stderr) = await InvokeAsync("dags", "trigger", "daily", "--conf", """{"x": 1}""");

        Assert.True(code == 0, stderr);
        Assert.StartsWith("manual__", stdout.Trim(), StringComparison.Ordinal);
        Assert.Contains("hint:", stderr, StringComparison.Ordinal);
        await using var store = await OpenStoreAsync();
        var run = Assert.Single((await store.ListRunsAsync(new RunQuery("daily"), CancellationToken.None)).Items);
        Assert.Equal(stdout.Trim(), run.RunId);
        Assert.Equal(RunState.Queued, run.State);
        Assert.Equal("manual", run.RunType);
        Assert.Null(run.DagFile);
        Assert.Contains("\"x\":1", run.ConfJson.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private async Task<(int Code, string Stdout, string Stderr)> InvokeAsync(params string[] args)
    {
        var root = WeftCli.BuildRootCommand();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parse = root.Parse([.. args, "--dags", Path.Combine(_dir.Path, "dags"), "--home", Home]);
        Assert.Empty(parse.Errors);
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return (code, output.ToString(), error.ToString());
    }
}
