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

    /// <summary>Slots of each pool, by name; a missing pool has <see cref="DefaultPoolSlots"/>.</summary>
    public IReadOnlyDictionary<string, int> PoolSlots { get; init; } = new Dictionary<string, int>();

    /// <summary>Slots of a pool not in <see cref="PoolSlots"/>.</summary>
    public int DefaultPoolSlots { get; init; } = 128;

    /// <summary>
    /// Slots shared with the other runs executing in this process (global parallelism and pools); null gives
    /// the run slots of its own, sized by <see cref="PoolSlots"/> and <see cref="DefaultPoolSlots"/>.
    /// </summary>
    public SlotAllocator? Slots { get; init; }

    /// <summary>
    /// Attempts this process stopped because their run was changed elsewhere (an operator action preempted its claim):
    /// when the run is claimed again they run again without counting as lost. Shared by every run of the process.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, byte> Preempted { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// After losing its lease, whether the process waits for the database as long as it takes to write what its
    /// stopped run did (services), or gives up after a few seconds and leaves the run to be resumed (<c>weft run</c>).
    /// </summary>
    public bool WaitForDatabase { get; init; } = true;

    /// <summary>Looks up a secret's value.</summary>
    public Func<string, string?> Secrets { get; init; } = _ => null;

    /// <summary>Masks every known secret: applied to an attempt's log, outputs and reason before they are stored.</summary>
    public Func<Weft.Engine.Secrets.SecretMasker> Masker { get; init; } = () => Weft.Engine.Secrets.SecretMasker.None;

    /// <summary>The queue a task of a DAG has its attempts handed to workers on, or null when this process runs it itself.</summary>
    public Func<Weft.DagDefinition, Weft.Core.Dags.TaskDefinition, string?> QueueFor { get; init; } = (_, _) => null;

    /// <summary>Awaits the attempts handed to workers; null when this process hands none.</summary>
    public RemoteAttempts? Remote { get; init; }
}
