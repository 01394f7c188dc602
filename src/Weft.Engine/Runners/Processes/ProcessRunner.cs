using Weft.Engine.Runners.Processes.Native;

namespace Weft.Engine.Runners.Processes;

/// <summary>How a process ended: its exit code (128+N for signal N, as in bash), or cancelled.</summary>
internal readonly record struct ProcessExit(int ExitCode, bool Cancelled);

/// <summary>
/// Starts a program, copies its stdout and stderr to the attempt's log line by line as they arrive, and waits for
/// it. On cancellation it kills the whole tree: the descendants it can still find, then the process group. On Linux
/// with pidfd_open the native launcher does it (<see cref="NativeProcessRunner"/>), elsewhere the runtime's
/// <see cref="System.Diagnostics.Process"/> (<see cref="DotNetProcessRunner"/>).
/// </summary>
internal static class ProcessRunner
{
    /// <summary>
    /// How long to read output after the main process ended: a process that escaped the group (it called setsid
    /// itself) may hold the output pipe open forever, and the attempt must still end.
    /// </summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for a killed process to be gone.</summary>
    public static readonly TimeSpan KillWaitLimit = TimeSpan.FromSeconds(5);

    /// <summary>Whether attempts use the native launcher (decided once).</summary>
    internal static bool UseNative { get; } = Spawner.IsAvailable;

    /// <summary>Runs the program to its end, or kills it when <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    /// <param name="started">Told the process's identity once it runs (null to skip).</param>
    public static Task<ProcessExit> RunAsync(ProcessSpec spec, ITaskLog log, Action<Storage.ProcessIdentity>? started, CancellationToken cancellationToken) =>
        UseNative
            ? NativeProcessRunner.RunAsync(spec, log, started, cancellationToken)
            : DotNetProcessRunner.RunAsync(spec, log, started, cancellationToken);

    /// <summary>The identity of a process just started: read from /proc while it certainly still exists (it cannot be reaped before we wait).</summary>
    internal static Storage.ProcessIdentity Identity(int pid, bool ownsGroup) =>
        new(Ownership.LocalProcesses.Host, pid, Ownership.LocalProcesses.StartTime(pid), ownsGroup ? pid : 0);
}
