namespace Weft.Engine.Scheduling;

/// <summary>
/// Calls back once file events in the DAGs folder have been quiet for the debounce time. Best effort: where
/// the platform drops events (network folders, exhausted inotify watches) the registry's rescan catches up.
/// </summary>
internal sealed class DagFolderWatcher : IDisposable
{
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;
    private readonly TimeSpan _quiet;

    public DagFolderWatcher(string folder, TimeSpan quiet, Action changed)
    {
        _quiet = quiet;
        _debounce = new Timer(_ => changed(), null, Timeout.Infinite, Timeout.Infinite);
        if (!Directory.Exists(folder))
        {
            return;
        }

        try
        {
            _watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watcher.Changed += OnEvent;
            _watcher.Created += OnEvent;
            _watcher.Deleted += OnEvent;
            _watcher.Renamed += OnEvent;
            _watcher.Error += (_, _) => Poke();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    /// <summary>True when file events are being delivered.</summary>
    public bool IsWatching => _watcher is not null;

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce.Dispose();
    }

    private void OnEvent(object sender, FileSystemEventArgs e) => Poke();

    // Each event pushes the callback back, so a burst of writes ends in one reload.
    private void Poke()
    {
        try
        {
            _debounce.Change(_quiet, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
