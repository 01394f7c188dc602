using System.Diagnostics;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Shell;
using Weft.Engine.Tests.Runners.Processes;

namespace Weft.Engine.Tests.Runners.Shell;

/// <summary>A stop or timeout kills everything the attempt started, grandchildren that were reparented included.</summary>
public sealed class ShellTaskRunnerCancellationTests : IDisposable
{
    private readonly AttemptFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    // A sleep length no other process uses, so pgrep finds exactly this test's sleeps.
    private static string UniqueSleep() => $"30.{Random.Shared.Next(100_000, 999_999)}";

    [Fact]
    public async Task RunAsync_Cancelled_KillsBackgroundChildrenAndReparentedGrandchildren()
    {
        var marker = UniqueSleep();
        // The inner bash exits at once, so its sleep is adopted by init: only the process group still holds it.
        var command = $"sleep {marker} & bash -c 'sleep {marker} &'; sleep {marker}; wait";

        var (result, elapsed) = await RunWithCancelAfterAsync(new ShellTaskRunner(), command, TimeSpan.FromSeconds(1));

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal("cancelled", result.Reason);
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Empty(await ProcessProbe.PgrepAsync($"sleep {marker}"));
    }

    [Fact]
    public async Task RunAsync_CancelledDirectStart_KillsChildren()
    {
        var marker = UniqueSleep();
        _fx.WriteFile("dags/spawner", $"#!/bin/bash\nsleep {marker} &\nsleep {marker}\n", executable: true);

        var (result, elapsed) = await RunWithCancelAfterAsync(new ShellTaskRunner(), "./spawner", TimeSpan.FromSeconds(1));

        Assert.Equal("cancelled", result.Reason);
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Empty(await ProcessProbe.PgrepAsync($"sleep {marker}"));
    }

    [Fact]
    public async Task RunAsync_BackgroundChildLeftAtExit_IsKilledAndDoesNotHoldTheAttempt()
    {
        var marker = UniqueSleep();

        var (result, elapsed) = await RunWithCancelAfterAsync(new ShellTaskRunner(), $"sleep {marker} & echo started", TimeSpan.FromSeconds(20));

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Equal(["started"], _fx.Stdout());
        Assert.Empty(await ProcessProbe.PgrepAsync($"sleep {marker}"));
    }

    private async Task<(TaskResult Result, TimeSpan Elapsed)> RunWithCancelAfterAsync(ShellTaskRunner runner, string command, TimeSpan after)
    {
        using var cts = new CancellationTokenSource(after);
        var started = Stopwatch.StartNew();
        var result = await runner.RunAsync(_fx.Context(AttemptFixture.Shell(command)), cts.Token);
        return (result, started.Elapsed);
    }
}
