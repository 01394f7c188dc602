using System.Diagnostics;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Shell;
using Xunit.Abstractions;

namespace Weft.Engine.Tests.Runners.Shell;

/// <summary>What one `true` task costs through the whole shell runner, per way of starting it. Prints; asserts no times.</summary>
public sealed class ShellStartCostTests(ITestOutputHelper output) : IDisposable
{
    private const int Tasks = 1000;
    private readonly AttemptFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task Measure_ThousandTrueTasks_DirectVersusBash()
    {
        var modes = new (string Name, ShellRunnerOptions Options)[]
        {
            ("direct", new ShellRunnerOptions(DirectStart: true)),
            ("direct in own session (setsid)", new ShellRunnerOptions(DirectStart: true, DirectStartInOwnSession: true)),
            ("bash -eo pipefail -c (setsid)", new ShellRunnerOptions(DirectStart: false)),
        };
        var task = AttemptFixture.Shell("true");
        var elapsed = new TimeSpan[modes.Length];
        var runners = modes.Select(m => new ShellTaskRunner(m.Options)).ToArray();

        // Warm-up (JIT, tiering, page cache), then the modes take turns in rounds so that load from other
        // processes on the machine falls on each of them alike.
        foreach (var runner in runners)
        {
            for (var i = 0; i < 50; i++)
            {
                await runner.RunAsync(_fx.Context(task), CancellationToken.None);
            }
        }

        const int rounds = 4;
        for (var round = 0; round < rounds; round++)
        {
            for (var m = 0; m < runners.Length; m++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < Tasks / rounds; i++)
                {
                    var result = await runners[m].RunAsync(_fx.Context(task, attempt: i + 1), CancellationToken.None);
                    Assert.Equal(TaskOutcome.Success, result.Outcome);
                }

                elapsed[m] += watch.Elapsed;
            }
        }

        for (var m = 0; m < modes.Length; m++)
        {
            output.WriteLine($"{modes[m].Name,-32} {Tasks} tasks in {elapsed[m].TotalMilliseconds,7:0} ms = {elapsed[m].TotalMilliseconds / Tasks:0.000} ms/task");
        }

        output.WriteLine($"load average: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}, {Environment.ProcessorCount} cores");
    }
}
