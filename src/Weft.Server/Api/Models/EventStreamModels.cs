namespace Weft.Server.Api.Models;

/// <summary>
/// One lifecycle event of <c>GET /api/v1/events/stream</c>: a run (<c>kind</c> = <c>run</c>, no <c>task_id</c>) or a
/// task instance (<c>kind</c> = <c>task</c>) entered <c>state</c>.
/// </summary>
internal sealed record LifecycleEventResponse(
    string Kind,
    string DagId,
    string RunId,
    string? TaskId,
    string State,
    int? TryNumber,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    DateTimeOffset At);
