using System.Collections.Immutable;

namespace Weft.Core.Dags;

/// <summary>Thrown when a DAG's dependencies loop back on themselves.</summary>
public sealed class DagCycleException : InvalidOperationException
{
    /// <summary>Creates the exception for a cycle given as task ids, the first repeated at the end.</summary>
    public DagCycleException(string dagId, ImmutableArray<string> cycle)
        : base($"DAG '{dagId}' has a dependency cycle: {string.Join(" -> ", cycle)}")
    {
        DagId = dagId;
        Cycle = cycle;
    }

    /// <summary>The DAG id.</summary>
    public string DagId { get; }

    /// <summary>The task ids on the cycle, each depending on the one before; the first is repeated at the end.</summary>
    public ImmutableArray<string> Cycle { get; }
}
