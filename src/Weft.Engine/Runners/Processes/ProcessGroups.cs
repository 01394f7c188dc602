using System.Runtime.InteropServices;

namespace Weft.Engine.Runners.Processes;

/// <summary>
/// Process groups for <see cref="DotNetProcessRunner"/> (the Linux launcher asks posix_spawn for the session
/// itself). .NET cannot call setsid between fork and exec, so a program that should lead its own group is started
/// through util-linux's <c>setsid</c>, which calls setsid() and execs the program in the same process: the pid .NET
/// sees is the group id. That costs one extra exec (under a millisecond), so it is used for bash and scripts, which
/// may spawn children, and not for programs started directly.
/// </summary>
internal static partial class ProcessGroups
{
    private const int SigKill = 9;

    /// <summary>The <c>setsid</c> program, or null where there is none (then only the process tree is killed).</summary>
    public static string? SetsidPath { get; } = OperatingSystem.IsWindows()
        ? null
        : new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Sends SIGKILL to every process of the group; false when none is left.</summary>
    public static bool KillGroup(int groupId)
    {
        if (OperatingSystem.IsWindows() || groupId <= 1)
        {
            return false;
        }

        // A negative pid addresses the whole group; it reaches children that bash left behind and that init
        // adopted, which a walk of the process tree no longer finds.
        return Kill(-groupId, SigKill) == 0;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
