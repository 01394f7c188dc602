using System.Diagnostics;

namespace Weft.Engine.Tests.Runners.Processes;

/// <summary>Looks for processes a test left behind.</summary>
internal static class ProcessProbe
{
    /// <summary>
    /// The pids whose command line matches <paramref name="pattern"/> (pgrep -f), empty when none; asks again for up
    /// to a second, since a killed process may need a moment to be reaped by init.
    /// </summary>
    public static async Task<string> PgrepAsync(string pattern)
    {
        var found = "";
        for (var i = 0; i < 10; i++)
        {
            using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", pattern]) { RedirectStandardOutput = true })!;
            found = (await pgrep.StandardOutput.ReadToEndAsync()).Trim();
            await pgrep.WaitForExitAsync();
            if (found.Length == 0)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return found;
    }
}
