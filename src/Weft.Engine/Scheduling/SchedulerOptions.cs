namespace Weft.Engine.Scheduling;

/// <summary>How the scheduler loop runs.</summary>
internal sealed class SchedulerOptions
{
    /// <summary>The DAGs folder, scanned recursively.</summary>
    public required string DagsFolder { get; init; }

    /// <summary>
    /// The longest the loop sleeps between passes, even when nothing is due: new DAGs, triggered runs and
    /// pauses made by other processes are picked up within it.
    /// </summary>
    public TimeSpan MaxSleep { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the folder is rescanned (by size and modification time) in case file events were missed.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long file events must settle before the folder is reloaded; editors write a file in several steps.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Watch the folder for changes (off in tests that drive passes by hand).</summary>
    public bool WatchFolder { get; init; } = true;

    /// <summary>How often pool sizes are read again from the database.</summary>
    public TimeSpan PoolRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);
}
