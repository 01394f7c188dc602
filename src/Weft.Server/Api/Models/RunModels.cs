using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weft.Server.Api.Models;

/// <summary>A DAG run: the contract's run JSON. Lists leave out <c>tasks</c>.</summary>
internal sealed record DagRunResponse(
    string DagId,
    string RunId,
    string State,
    string RunType,
    DateTimeOffset? LogicalDate,
    DateTimeOffset? DataIntervalStart,
    DateTimeOffset? DataIntervalEnd,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    JsonElement Conf,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TaskInstanceResponse>? Tasks)
{
    /// <summary>The <c>version</c> label of the DAG the run was created from; omitted when it had none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DagVersion { get; init; }

    /// <summary>SHA-256 of the DAG source the run was created from; omitted for DAGs built in code.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DagHash { get; init; }
}

/// <summary>A page of runs.</summary>
internal sealed record DagRunCollection(IReadOnlyList<DagRunResponse> DagRuns, int TotalEntries);

/// <summary>POST dagRuns: start a run now. <c>conf</c> keys must be parameters of the DAG.</summary>
internal sealed record TriggerRequest(JsonElement? Conf, DateTimeOffset? LogicalDate, string? RunId);

/// <summary>PATCH of a run: <c>success</c>, <c>failed</c> or <c>queued</c>.</summary>
internal sealed record StatePatch(string? State);

/// <summary>POST …/clear: which task instances go back to <c>none</c> so they run again.</summary>
internal sealed record ClearRequest(
    IReadOnlyList<string>? TaskIds, bool OnlyFailed = false, bool IncludeDownstream = false, bool DryRun = false, bool IncludeUpstream = false);

/// <summary>What a clear did (or, with <c>dry_run</c>, would do).</summary>
internal sealed record ClearResponse(IReadOnlyList<string> TaskIds, string RunState, bool DryRun);
