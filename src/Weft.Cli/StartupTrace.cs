using System.Diagnostics;

namespace Weft.Cli;

/// <summary>
/// With <c>WEFT_STARTUP_TRACE=1</c>, prints on stderr how long each start-up phase of a command took, to find
/// where the fixed cost of a short command goes. Off, a mark costs one static bool test.
/// </summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("WEFT_STARTUP_TRACE") == "1";
    private static long _last = Stopwatch.GetTimestamp();
    private static TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;

    /// <summary>Prints the wall and CPU time since the previous mark, and since the process started.</summary>
    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.Error.WriteLine(
            $"weft: trace: {phase,-24} +{Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds,6:0.0} ms, cpu +{(cpu - _lastCpu).TotalMilliseconds,6:0.0} ms"
            + $"  (at {sinceStart.TotalMilliseconds:0} ms, cpu {cpu.TotalMilliseconds:0} ms)");
        _lastCpu = Environment.CpuUsage.TotalTime;
        _last = Stopwatch.GetTimestamp();
    }
}
