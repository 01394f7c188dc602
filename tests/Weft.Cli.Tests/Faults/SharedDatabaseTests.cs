using System.Globalization;
using Weft.Cli.Tests.EngineRuns;
using Weft.Core.Runs;
using Xunit.Abstractions;

namespace Weft.Cli.Tests.Faults;

/// <summary>Several executing processes on one SQLite database: every logical date runs once, every task once.</summary>
[Collection(SerialEngineTests.Name)]
public sealed class SharedDatabaseTests(ITestOutputHelper output) : IDisposable
{
    private readonly FaultSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task TwoSchedulersAndAServer_ADagEveryTwoSecondsFor30s_EveryDateOnce_EveryTaskOnce()
    {
        // Whole seconds, on an even one: the schedule's first tick.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(4 - now.Second % 2);
        var end = start.AddSeconds(30);
        _site.WriteDag("tick.yaml", $"""
            id: tick
            schedule: "*/2 * * * * *"
            start_date: "{start:yyyy-MM-ddTHH:mm:ss}"
            end_date: "{end:yyyy-MM-ddTHH:mm:ss}"
            catchup: true
            tasks:
              - id: a
                command: echo "$WEFT_RUN_ID a" >> '{_site.Ledger}'
              - id: b
                depends_on: [a]
                command: sleep 0.3; echo "$WEFT_RUN_ID b" >> '{_site.Ledger}'
              - id: c
                depends_on: [a]
                command: echo "$WEFT_RUN_ID c" >> '{_site.Ledger}'
            """);

        using var scheduler1 = new BackgroundWeft(_site.Path, "scheduler");
        using var scheduler2 = new BackgroundWeft(_site.Path, "scheduler");
        using var server = new BackgroundWeft(_site.Path, "server", "--urls", "http://127.0.0.1:0");

        // Every interval from the start date to the end date: 15 or 16 runs, as the last interval counts or not.
        await FaultSite.UntilAsync(
            async () => DateTimeOffset.UtcNow > end.AddSeconds(4) && (await _site.RunsAsync("tick")) is var runs && runs.Count >= 15 && runs.All(FaultSite.Finished),
            TimeSpan.FromSeconds(90),
            () => $"15 finished runs of tick\n{scheduler1.Output}\n{scheduler2.Output}\n{server.Output}");
        await Task.Delay(3_000); // time for a run created twice, or a task run twice, to show

        Assert.False(scheduler1.HasExited, scheduler1.Output);
        Assert.False(scheduler2.HasExited, scheduler2.Output);
        Assert.False(server.HasExited, server.Output);

        var all = await _site.RunsAsync("tick");
        var dates = all.Select(r => r.LogicalDate!.Value).OrderBy(d => d).ToList();
        output.WriteLine($"{all.Count} runs, {_site.LedgerLines().Length} task executions");
        Assert.InRange(all.Count, 15, 16);
        Assert.Equal(Enumerable.Range(0, all.Count).Select(i => start.AddSeconds(2 * i)), dates);
        Assert.All(all, r => Assert.Equal(RunState.Success, r.State));

        var ledger = _site.LedgerLines();
        var twice = ledger.GroupBy(l => l, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "executed more than once: " + string.Join(", ", twice));
        Assert.Equal(
            all.SelectMany(r => new[] { "a", "b", "c" }.Select(t => $"{r.RunId} {t}")).Order(StringComparer.Ordinal),
            ledger.Order(StringComparer.Ordinal));
        output.WriteLine("first run " + dates[0].ToString("O", CultureInfo.InvariantCulture));
    }
}
