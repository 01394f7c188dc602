namespace Weft.Server.Api.Models;

/// <summary>A task instance: its current try. The first fields are the run JSON's task shape.</summary>
internal sealed record TaskInstanceResponse(
    string TaskId,
    string State,
    int TryNumber,
    int MaxTries,
    int? ExitCode,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    long? DurationMs,
    string? Reason,
    DateTimeOffset? NextRetryAt,
    IReadOnlyDictionary<string, string> Outputs,
    string Pool,
    string Queue,
    int Priority);

/// <summary>A page of task instances.</summary>
internal sealed record TaskInstanceCollection(IReadOnlyList<TaskInstanceResponse> TaskInstances, int TotalEntries);
