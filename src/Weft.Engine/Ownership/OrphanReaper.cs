using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Weft.Engine.Storage;

namespace Weft.Engine.Ownership;

/// <summary>
/// Kills what a lost attempt left running on this machine before the attempt runs again: its recorded process group
/// (when the process that led it is the one recorded), and every process that still carries the attempt's id in its
/// environment. Waits until they are gone, so the retry never runs beside its orphan.
/// </summary>
internal static partial class OrphanReaper
{
    private const int SigKill = 9;
    private static readonly TimeSpan GoneWithin = TimeSpan.FromSeconds(5);

    /// <summary>Kills the attempt's leftovers on this machine; returns how many processes were killed.</summary>
    public static async Task<int> KillAsync(AttemptRecord attempt, ILogger logger, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return 0;
        }

        if (attempt.Process is { } p && p.Host != LocalProcesses.Host)
        {
            // Another machine's process: its owner fenced itself when its lease ran out.
            return 0;
        }

        var victims = LocalProcesses.WithAttemptId(attempt.AttemptId);
        if (attempt.Process is { Pid: > 1 } process && LocalProcesses.IsAlive(process.Pid, process.ProcessStart) && !victims.Contains(process.Pid))
        {
            victims.Add(process.Pid);
        }

        if (attempt.Process is { ProcessGroup: > 1 } led && LocalProcesses.IsAlive(led.Pid, led.ProcessStart))
        {
            // The leader is still the recorded process, so the group id is still the attempt's.
            _ = Kill(-led.ProcessGroup, SigKill);
        }

        foreach (var pid in victims)
        {
            _ = Kill(pid, SigKill);
        }

        if (victims.Count == 0)
        {
            return 0;
        }

        logger.LogWarning("Killed {Count} process(es) left running by lost attempt {AttemptId} ({TaskId} of run {RunId})", victims.Count, attempt.AttemptId, attempt.TaskId, attempt.RunId);
        var deadline = DateTimeOffset.UtcNow + GoneWithin;
        while (victims.Any(pid => LocalProcesses.IsAlive(pid, 0)) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return victims.Count;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
