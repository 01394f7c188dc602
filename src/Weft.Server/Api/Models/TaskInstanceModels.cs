namespace Weft.Server.Api.Models;

/// <summary>A task instance: its current try. The first fields are the run JSON's task shape.</summary>
/// <param name="RenderedCommand">
/// The command of the current try with each <c>${{ … }}</c> replaced by its value and secrets as <c>***</c> (shell and
/// script tasks); given by the answer for one task instance, null in lists and for tasks without a command.
/// </param>
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
    int Priority,
    string? RenderedCommand = null);

/// <summary>A page of task instances.</summary>
internal sealed record TaskInstanceCollection(IReadOnlyList<TaskInstanceResponse> TaskInstances, int TotalEntries);
