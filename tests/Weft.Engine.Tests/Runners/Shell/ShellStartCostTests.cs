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

        foreach (var (name, options) in modes)
        {
            var runner = new ShellTaskRunner(options);
            await runner.RunAsync(_fx.Context(task), CancellationToken.None); // warm-up
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Tasks; i++)
            {
                var result = await runner.RunAsync(_fx.Context(task, attempt: i + 1), CancellationToken.None);
                Assert.Equal(TaskOutcome.Success, result.Outcome);
            }

            output.WriteLine($"{name,-32} {Tasks} tasks in {watch.Elapsed.TotalMilliseconds,7:0} ms = {watch.Elapsed.TotalMilliseconds / Tasks:0.000} ms/task");
        }
    }
}
