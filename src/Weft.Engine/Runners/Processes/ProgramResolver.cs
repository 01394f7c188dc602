namespace Weft.Engine.Runners.Processes;

/// <summary>Finds a program the way bash does: a name with a slash is a path, else the first executable on PATH.</summary>
internal static class ProgramResolver
{
    /// <summary>The full path of the program, or null when bash would say "command not found".</summary>
    /// <param name="name">The command word as written.</param>
    /// <param name="searchPath">The PATH the child will see (the task's env may change it).</param>
    /// <param name="workingDirectory">Where relative paths and empty PATH entries point.</param>
    public static string? Find(string name, string? searchPath, string workingDirectory)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(name, workingDirectory);
            return IsExecutable(path) ? path : null;
        }

        foreach (var entry in (searchPath ?? string.Empty).Split(':'))
        {
            // An empty PATH entry means the current directory, as in every shell.
            var candidate = Path.Combine(entry.Length == 0 ? workingDirectory : Path.GetFullPath(entry, workingDirectory), name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
