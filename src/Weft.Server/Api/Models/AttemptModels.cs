namespace Weft.Server.Api.Models;

/// <summary>One try of a task.</summary>
internal sealed record AttemptResponse(
    string TaskId, int TryNumber, string State, DateTimeOffset StartDate, DateTimeOffset? EndDate, long? DurationMs, int? ExitCode, string? Reason);

/// <summary>A run's attempts, oldest first.</summary>
internal sealed record AttemptCollection(IReadOnlyList<AttemptResponse> Attempts, int TotalEntries);
