using System.Diagnostics;
using Weft.Engine.Runners.Processes;
using Weft.Engine.Runners.Processes.Native;
using Xunit.Abstractions;

namespace Weft.Engine.Tests.Runners.Processes;

/// <summary>
/// The floor under the shell runner: what starting and waiting for `true` costs per way of running it, with no
/// attempt files, no engine and no database, two at a time as in the benchmark. Prints; asserts no times.
/// </summary>
public sealed class ProcessStartCostTests(ITestOutputHelper output)
{
    private const int Tasks = 1000;
    private const int Parallelism = 2;

    [Fact]
    public async Task Measure_ThousandTrueProcesses_NativeVersusProcess()
    {
        var spec = new ProcessSpec("/usr/bin/true", [], "/", new Dictionary<string, string> { ["WEFT_TASK_ID"] = "t" }, NewSession: false);
        var ways = new (string Name, Func<Task<ProcessExit>> Run)[]
        {
            ("posix_spawn + pidfd reactor", () => NativeProcessRunner.RunAsync(spec, new MemoryLog(), CancellationToken.None)),
            ("System.Diagnostics.Process", () => DotNetProcessRunner.RunAsync(spec, new MemoryLog(), CancellationToken.None)),
        };
        var elapsed = new TimeSpan[ways.Length];
        foreach (var (_, run) in ways)
        {
            await RunManyAsync(run, 100);
        }

        const int rounds = 4;
        for (var round = 0; round < rounds; round++)
        {
            for (var w = 0; w < ways.Length; w++)
            {
                var watch = Stopwatch.StartNew();
                await RunManyAsync(ways[w].Run, Tasks / rounds);
                elapsed[w] += watch.Elapsed;
            }
        }

        for (var w = 0; w < ways.Length; w++)
        {
            output.WriteLine($"{ways[w].Name,-30} {Tasks} × true, {Parallelism} at a time: {elapsed[w].TotalMilliseconds,7:0} ms = {elapsed[w].TotalMilliseconds / Tasks:0.000} ms/task");
        }

        output.WriteLine($"load average: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}, {Environment.ProcessorCount} cores");
    }

    private static async Task RunManyAsync(Func<Task<ProcessExit>> run, int count)
    {
        var next = 0;
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                var exit = await run();
                Assert.Equal(0, exit.ExitCode);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Parallelism).Select(_ => Worker()));
    }
}
