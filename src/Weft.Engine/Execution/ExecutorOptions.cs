namespace Weft.Engine.Execution;

/// <summary>How a local executor runs a DAG's tasks.</summary>
internal sealed class ExecutorOptions
{
    /// <summary>Weft's home folder: logs and temporary folders live under it.</summary>
    public required string Home { get; init; }

    /// <summary>Tasks run at once; null means the DAG's <c>max_active_tasks</c>.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Where relative script paths are looked up first.</summary>
    public string TasksDir { get; init; } = Path.GetFullPath("tasks");

    /// <summary>Who runs the attempts (recorded as their owner).</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Slots of each pool, by name; a missing pool has <see cref="DefaultPoolSlots"/>.</summary>
    public IReadOnlyDictionary<string, int> PoolSlots { get; init; } = new Dictionary<string, int>();

    /// <summary>Slots of a pool not in <see cref="PoolSlots"/>.</summary>
    public int DefaultPoolSlots { get; init; } = 128;

    /// <summary>
    /// Slots shared with the other runs executing in this process (global parallelism and pools); null gives
    /// the run slots of its own, sized by <see cref="PoolSlots"/> and <see cref="DefaultPoolSlots"/>.
    /// </summary>
    public SlotAllocator? Slots { get; init; }

    /// <summary>Looks up a secret's value.</summary>
    public Func<string, string?> Secrets { get; init; } = _ => null;
}
