namespace Weft.Server.Api.Models;

/// <summary>A DAG's last runs with every task instance's state, in one answer: what a grid or a graph needs.</summary>
/// <param name="TaskIds">The DAG's tasks, in definition order; every run's <c>states</c> and <c>tries</c> follow it.</param>
internal sealed record GridResponse(string DagId, IReadOnlyList<string> TaskIds, IReadOnlyList<GridRunResponse> DagRuns, int TotalEntries);

/// <summary>One run of a grid, newest first. <c>states[i]</c> is the state of <c>task_ids[i]</c> (<c>none</c> when the run has no such task).</summary>
internal sealed record GridRunResponse(
    string RunId,
    string State,
    string RunType,
    DateTimeOffset? LogicalDate,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    IReadOnlyList<string> States,
    IReadOnlyList<int> Tries);
