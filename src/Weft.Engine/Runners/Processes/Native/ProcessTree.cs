using System.Globalization;

namespace Weft.Engine.Runners.Processes.Native;

/// <summary>A process's descendants, found by walking /proc's parent links (a stop path only: it reads every stat).</summary>
internal static class ProcessTree
{
    /// <summary>Children before grandchildren.</summary>
    public static List<int> Descendants(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var entry in EnumerateProcesses())
        {
            if (ParentOf(entry) is { } parent)
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(entry);
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>();
        queue.Enqueue(pid);
        while (queue.TryDequeue(out var current))
        {
            if (!children.TryGetValue(current, out var list))
            {
                continue;
            }

            foreach (var child in list)
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    private static IEnumerable<int> EnumerateProcesses()
    {
        foreach (var path in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>The fourth field of <c>/proc/PID/stat</c>; the name before it is in parentheses and may hold any byte.</summary>
    private static int? ParentOf(int pid)
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

        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // ") S PPID ..."
        var fields = stat.AsSpan(close + 1).Trim();
        var space = fields.IndexOf(' ');
        if (space < 0)
        {
            return null;
        }

        fields = fields[(space + 1)..];
        space = fields.IndexOf(' ');
        return int.TryParse(space < 0 ? fields : fields[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            ? parent
            : null;
    }
}
