using Weft.Engine.Ownership;
using Weft.Engine.Runners;

namespace Weft.Engine.Execution;

/// <summary>How a process executes: where, how much at once, and under what lease.</summary>
internal sealed class ExecutorSettings
{
    /// <summary>What the process is, recorded on its owner row: <c>run</c>, <c>backfill</c>, <c>scheduler</c>, <c>server</c>, <c>worker</c>, <c>host</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Weft's home folder: logs, temporary folders and the secret key live under it.</summary>
    public required string Home { get; init; }

    /// <summary>Where relative script paths are looked up first.</summary>
    public string TasksDir { get; init; } = Path.GetFullPath("tasks");

    /// <summary>Tasks running at once across every run of the process.</summary>
    public int Parallelism { get; init; } = int.MaxValue;

    /// <summary>Tasks of one run at once; null means the DAG's <c>max_active_tasks</c>.</summary>
    public int? RunParallelism { get; init; }

    /// <summary>The lease's heartbeat and length.</summary>
    public LeaseOptions Lease { get; init; } = LeaseOptions.FromEnvironment();

    /// <summary>Whether a run stopped by a lost lease waits for the database to record it (services) or gives up soon (<c>weft run</c>).</summary>
    public bool WaitForDatabase { get; init; } = true;

    /// <summary>The task runners; null for the default set.</summary>
    public TaskRunnerRegistry? Runners { get; init; }

    /// <summary>Which tasks this process hands to workers instead of running them itself.</summary>
    public TaskPlacement Placement { get; init; } = TaskPlacement.Local;

    /// <summary>
    /// DAGs whose tasks all run in this process whatever <see cref="Placement"/>: a host's DAGs built in C#, which a
    /// worker cannot load (it reads DAGs from the database, where only a description of them is kept). Null for none.
    /// </summary>
    public Func<string, bool>? LocalDags { get; init; }

    /// <summary>The queues a worker serves (recorded on its owner row).</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];

    /// <summary>The name that starts this process's owner ids (a worker's <c>--name</c>); null for the kind.</summary>
    public string? Name { get; init; }
}
