using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Weft.Cli.Tests.EngineRuns;
using Weft.Core.Runs;
using Xunit.Abstractions;

namespace Weft.Cli.Tests.Faults;

/// <summary>A server killed with kill -9 mid-task, and a database locked by another client for 45 s.</summary>
[Collection(SerialEngineTests.Name)]
public sealed class CrashAndLockTests(ITestOutputHelper output) : IDisposable
{
    private readonly FaultSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Kill9OfTheServer_DuringALongTaskWithARetry_TheSideEffectHappensOnce_AndNoProcessIsLeft()
    {
        var starts = Path.Combine(_site.Path, "starts");
        _site.WriteDag("long.yaml", $"""
            id: long
            tasks:
              - id: work
                retries: 1
                retry_delay: 0s
                command: echo "$WEFT_ATTEMPT" >> '{starts}'; if [ "$(wc -l < '{starts}')" -eq 1 ]; then sleep 26.25; else sleep 1; fi; echo done >> '{_site.Ledger}'
            """);

        string runId;
        using (var server = new BackgroundWeft(_site.Path, "server", "--urls", "http://127.0.0.1:0"))
        {
            var trigger = await _site.Weft().RunAsync("dags", "trigger", "long", "--json");
            Assert.True(trigger.ExitCode == 0, trigger.ToString());
            runId = JsonDocument.Parse(trigger.Stdout).RootElement.GetProperty("run_id").GetString()!;
            await server.WaitUntilAsync(() => File.Exists(starts), TimeSpan.FromSeconds(30), "the task starting");
            server.Signal("KILL");
            await server.WaitAsync(TimeSpan.FromSeconds(10));
        }

        // What a crash leaves: the task's process, reparented, still running.
        Assert.True(Machine.ProcessAlive("^sleep 26.25$"), "the killed server's task was not running any more");

        using (var restarted = new BackgroundWeft(_site.Path, "server", "--urls", "http://127.0.0.1:0"))
        {
            await FaultSite.UntilAsync(
                async () => (await _site.RunsAsync("long")).Single() is var r && FaultSite.Finished(r),
                TimeSpan.FromSeconds(60),
                () => "the run finishing\n" + restarted.Output);
            Assert.False(restarted.HasExited, restarted.Output);
        }

        var run = (await _site.RunsAsync("long")).Single();
        Assert.Equal(RunState.Success, run.State);
        Assert.Equal(["done"], _site.LedgerLines());
        Assert.False(Machine.ProcessAlive("^sleep 26.25$"), "a task process was left running");
        var attempts = await _site.ReadAsync(s => s.GetAttemptsAsync("long", runId, "work", CancellationToken.None));
        Assert.Equal(2, attempts.Count);
        Assert.StartsWith("lost", attempts[0].Reason, StringComparison.Ordinal);
        Assert.Equal(TaskState.Success, attempts[1].State);
        output.WriteLine($"attempt 1: {attempts[0].Reason}");
    }

    [Fact]
    public async Task AnExclusiveLockHeld45s_HealthSaysDegraded_ThenEveryTaskRunsOnce_AndNothingIsStranded()
    {
        _site.WriteDag("steady.yaml", $"""
            id: steady
            max_active_tasks: 4
            tasks:
            {string.Concat(Enumerable.Range(0, 12).Select(i =>
                $"  - id: t{i}\n    {(i >= 4 ? $"depends_on: [t{i - 4}]\n    " : "")}command: sleep 1; echo \"$WEFT_RUN_ID t{i}\" >> '{_site.Ledger}'\n"))}
            """);
        var port = FaultSite.FreePort();
        using var server = new BackgroundWeft(_site.Path, "server", "--urls", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await FaultSite.UntilAsync(async () => await HealthAsync(http) == "healthy", TimeSpan.FromSeconds(30), () => "the server answering\n" + server.Output);

        var trigger = await _site.Weft().RunAsync("dags", "trigger", "steady");
        Assert.True(trigger.ExitCode == 0, trigger.ToString());
        await server.WaitUntilAsync(() => _site.LedgerLines().Length >= 2, TimeSpan.FromSeconds(30), "the first tasks ending");

        var degraded = false;
        await using (var locker = new SqliteConnection($"Data Source={_site.Database};Default Timeout=30"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            var held = System.Diagnostics.Stopwatch.StartNew();
            while (held.Elapsed < TimeSpan.FromSeconds(45))
            {
                degraded |= await HealthAsync(http) == "degraded";
                Assert.False(server.HasExited, server.Output);
                await Task.Delay(1_000);
            }

            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        await FaultSite.UntilAsync(
            async () => (await _site.RunsAsync("steady")).Single() is var r && FaultSite.Finished(r),
            TimeSpan.FromSeconds(90),
            () => "the run finishing after the lock\n" + server.Output);
        Assert.True(degraded, "health never said degraded while the database was locked");
        await FaultSite.UntilAsync(async () => await HealthAsync(http) == "healthy", TimeSpan.FromSeconds(30), () => "health back to healthy\n" + server.Output);

        output.WriteLine(server.Output);
        var run = (await _site.RunsAsync("steady")).Single();
        Assert.Equal(RunState.Success, run.State);
        var ledger = _site.LedgerLines();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"{run.RunId} t{i}").Order(StringComparer.Ordinal), ledger.Order(StringComparer.Ordinal));
        Assert.False(server.HasExited, server.Output);
        Assert.Empty(await _site.ReadAsync(s => s.ListActiveRunsAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task ClearingASilentRunningTaskInTheServer_StopsItAtOnce_AndOnlyItRunsAgain()
    {
        var starts = Path.Combine(_site.Path, "starts");
        _site.WriteDag("silent.yaml", $"""
            id: silent
            tasks:
              - id: quiet
                command: echo go >> '{starts}'; if [ "$(wc -l < '{starts}')" -eq 1 ]; then sleep 31.5; fi; echo quiet >> '{_site.Ledger}'
              - id: steady
                command: sleep 4; echo steady >> '{_site.Ledger}'
            """);
        using var server = new BackgroundWeft(_site.Path, "server", "--urls", "http://127.0.0.1:0");
        var trigger = await _site.Weft().RunAsync("dags", "trigger", "silent", "--json");
        Assert.True(trigger.ExitCode == 0, trigger.ToString());
        var runId = JsonDocument.Parse(trigger.Stdout).RootElement.GetProperty("run_id").GetString()!;
        await server.WaitUntilAsync(() => File.Exists(starts), TimeSpan.FromSeconds(30), "the task starting");
        await Task.Delay(500);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var clear = await _site.Weft().RunAsync("tasks", "clear", runId, "quiet", "--yes");
        Assert.True(clear.ExitCode == 0, clear.ToString());
        await server.WaitUntilAsync(() => File.ReadAllLines(starts).Length == 2, TimeSpan.FromSeconds(10), "the cleared task starting again");
        output.WriteLine($"cleared task started again after {clock.ElapsedMilliseconds} ms");
        // Its run writes nothing else for 30 s: waiting for that write would take far longer than a few passes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"the cleared task ran again only after {clock.Elapsed}: it waited for the run's next write");
        Assert.False(Machine.ProcessAlive("^sleep 31.5$"), "the cleared attempt's process was left running");

        await FaultSite.UntilAsync(
            async () => (await _site.RunsAsync("silent")).Single() is var r && FaultSite.Finished(r),
            TimeSpan.FromSeconds(30),
            () => "the run finishing\n" + server.Output);
        Assert.Equal(RunState.Success, (await _site.RunsAsync("silent")).Single().State);
        Assert.Equal(["quiet", "steady"], _site.LedgerLines().Order(StringComparer.Ordinal));
    }

    private static async Task<string?> HealthAsync(HttpClient http)
    {
        try
        {
            var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/health");
            return body.GetProperty("status").GetString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
