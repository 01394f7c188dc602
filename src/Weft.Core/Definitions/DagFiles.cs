namespace Weft.Core.Definitions;

/// <summary>Finds DAG files below a folder: recursive, by extension, hidden folders skipped, sorted by path.</summary>
internal static class DagFiles
{
    public static IEnumerable<string> Find(string folder)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            try
            {
                foreach (var sub in Directory.EnumerateDirectories(dir))
                {
                    if (!Path.GetFileName(sub).StartsWith('.'))
                    {
                        pending.Push(sub);
                    }
                }

                files.AddRange(Directory.EnumerateFiles(dir).Where(f =>
                    !Path.GetFileName(f).StartsWith('.') &&
                    DagLoader.Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // An unreadable folder is skipped; the files that can be read still load.
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
