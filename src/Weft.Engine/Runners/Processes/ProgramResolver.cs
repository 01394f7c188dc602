using System.Collections.Concurrent;

namespace Weft.Engine.Runners.Processes;

/// <summary>
/// Finds a program the way bash does: a name with a slash is a path, else the first executable on PATH. Found paths
/// are remembered, as bash's command hash does: a PATH search stats every entry before the match, for every task.
/// A remembered program that is gone fails to start, and the shell runner then hands the command to bash.
/// </summary>
internal static class ProgramResolver
{
    private const int CacheLimit = 4096;
    private static readonly ConcurrentDictionary<(string Name, string? SearchPath, string WorkingDirectory), string> Found = new();

    /// <summary>The full path of the program, or null when bash would say "command not found".</summary>
    /// <param name="name">The command word as written.</param>
    /// <param name="searchPath">The PATH the child will see (the task's env may change it).</param>
    /// <param name="workingDirectory">Where relative paths and empty PATH entries point.</param>
    public static string? Find(string name, string? searchPath, string workingDirectory)
    {
        var key = (name, searchPath, workingDirectory);
        if (Found.TryGetValue(key, out var known))
        {
            return known;
        }

        // Not found is not remembered: an earlier task may yet create the program.
        if (Search(name, searchPath, workingDirectory) is not { } path)
        {
            return null;
        }

        if (Found.Count >= CacheLimit)
        {
            Found.Clear();
        }

        Found[key] = path;
        return path;
    }

    private static string? Search(string name, string? searchPath, string workingDirectory)
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
