using System.Text.Json;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>A manual run to create.</summary>
/// <param name="Conf">Parameters over the DAG's defaults; checked by <see cref="RunParams"/>.</param>
/// <param name="LogicalDate">The run's logical date; now when null.</param>
/// <param name="RunId">The run's id; <c>manual__</c> and the logical date when null.</param>
internal sealed record TriggerRequest(
    string DagId,
    IReadOnlyDictionary<string, JsonElement>? Conf = null,
    DateTimeOffset? LogicalDate = null,
    string? RunId = null);

/// <summary>Which task instances of a run to clear.</summary>
/// <param name="DagId">The run's DAG; null for the newest run with the id.</param>
/// <param name="TaskIds">The tasks named; every task of the run when empty.</param>
/// <param name="OnlyFailed">Of the tasks chosen, only those failed or upstream_failed.</param>
/// <param name="Downstream">Also every task downstream of those named.</param>
/// <param name="Upstream">Also every task upstream of those named.</param>
/// <param name="DryRun">Say what would be cleared; change nothing.</param>
internal sealed record ClearRequest(
    string? DagId,
    string RunId,
    IReadOnlyCollection<string> TaskIds,
    bool OnlyFailed = false,
    bool Downstream = false,
    bool Upstream = false,
    bool DryRun = false);

/// <summary>What clearing did: the task ids cleared (or that would be, on a dry run) and the run as it is afterwards.</summary>
internal sealed record ClearOutcome(RunSnapshot Run, IReadOnlyList<string> Cleared, bool DryRun);

/// <summary>What marking did: the run afterwards, the state the task (or run) had before, and whether anything changed.</summary>
internal sealed record MarkOutcome(RunSnapshot Run, string Previous, bool Changed);

/// <summary>How <see cref="OperatorActions.SetPoolAsync"/> treats a pool that exists or does not.</summary>
internal enum PoolWrite
{
    /// <summary>Create it or resize it (<c>weft pools set</c>).</summary>
    Upsert,

    /// <summary>Only create it; an existing pool is a conflict.</summary>
    Create,

    /// <summary>Only resize it; a missing pool is not found.</summary>
    Resize,
}

/// <summary>
/// One DAG as the operator sees it: registered from the DAGs folder or only in the database (with its definition,
/// or the load error of its file), or a file of the folder that is not registered (no id, its errors).
/// </summary>
internal sealed record DagEntry(string? DagId, string? File, DagDefinition? Definition, DagRecord? Registered, IReadOnlyList<string> Errors);
