using System.Text.Json;

namespace Weft.Server.Api.Models;

/// <summary>A registered DAG.</summary>
/// <param name="NextDagrunLogicalDate">The logical date of the next run its schedule calls for; null without a schedule or after its last run.</param>
/// <param name="NextDagrunRunAfter">When that run falls due (the end of its data interval).</param>
internal sealed record DagResponse(
    string DagId,
    string? DisplayName,
    string? Description,
    string? Version,
    string? FileLocation,
    bool IsPaused,
    string? Schedule,
    string Timezone,
    IReadOnlyList<string> Tags,
    JsonElement Params,
    int MaxActiveRuns,
    int MaxActiveTasks,
    IReadOnlyList<DagTaskResponse> Tasks,
    string Hash,
    string? LoadError,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextDagrunLogicalDate,
    DateTimeOffset? NextDagrunRunAfter)
{
    /// <summary>The warnings of an upload (a task in a pool that does not exist…); absent elsewhere.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DiagnosticResponse>? Warnings { get; init; }
}

/// <summary>One problem found in a DAG's text, where it stands: what <c>weft validate</c> prints as FILE:LINE:COL.</summary>
internal sealed record DiagnosticResponse(string Severity, int Line, int Column, string Message);

/// <summary>A task of a DAG, as defined (commands are shown unrendered: secrets stay <c>${{ secrets.NAME }}</c>).</summary>
internal sealed record DagTaskResponse(string TaskId, string Type, IReadOnlyList<string> DependsOn, string TriggerRule, int Retries, string Pool, string Queue, int Priority);

/// <summary>A page of DAGs.</summary>
internal sealed record DagCollection(IReadOnlyList<DagResponse> Dags, int TotalEntries);

/// <summary>PATCH of a DAG.</summary>
internal sealed record DagPatch(bool? IsPaused);

/// <summary>A DAG's file, as registered.</summary>
internal sealed record DagSourceResponse(string DagId, string? FileLocation, string Content);
