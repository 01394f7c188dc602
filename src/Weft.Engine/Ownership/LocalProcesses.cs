using System.Globalization;

namespace Weft.Engine.Ownership;

/// <summary>
/// Processes of this machine as /proc shows them: a process's identity (pid and start time, so a reused pid is not
/// mistaken for it), whether it is still alive, and the processes an attempt left behind.
/// </summary>
internal static class LocalProcesses
{
    /// <summary>This machine's name, as owners and attempts record it.</summary>
    public static string Host { get; } = Environment.MachineName;

    /// <summary>This process's start time in clock ticks since boot; 0 where /proc is missing.</summary>
    public static long SelfStart { get; } = StartTime(Environment.ProcessId);

    /// <summary>Field 22 of <c>/proc/PID/stat</c>, the start time in clock ticks since boot; 0 when unknown or gone.</summary>
    public static long StartTime(int pid)
    {
        var fields = StatFields(pid);
        // Fields after the ")" start at field 3 (state): starttime (field 22) is the 20th of them.
        return fields is { Length: >= 20 } && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : 0;
    }

    /// <summary>
    /// True unless the process is known to be gone: no /proc entry, a zombie, or another process under the same pid
    /// (its start time differs). Where /proc cannot tell, the process counts as alive.
    /// </summary>
    public static bool IsAlive(int pid, long processStart)
    {
        if (!Directory.Exists("/proc/self"))
        {
            return true;
        }

        var fields = StatFields(pid);
        if (fields is null || fields.Length < 20 || fields[0] == "Z" || fields[0] == "X")
        {
            return false;
        }

        return processStart == 0 || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start == processStart;
    }

    /// <summary>
    /// The pids whose environment marks them as started for the attempt (<c>WEFT_ATTEMPT_ID</c>): the attempt's
    /// process and every descendant that kept its environment, wherever it moved (another session, adopted by init).
    /// </summary>
    public static List<int> WithAttemptId(string attemptId)
    {
        var found = new List<int>();
        if (!Directory.Exists("/proc/self"))
        {
            return found;
        }

        var marker = $"WEFT_ATTEMPT_ID={attemptId}";
        foreach (var path in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(path, "environ")).Split('\0').Contains(marker, StringComparer.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static string[]? StatFields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name in parentheses may hold spaces and parentheses: fields start after the last ")".
        var close = stat.LastIndexOf(')');
        return close < 0 ? null : stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
