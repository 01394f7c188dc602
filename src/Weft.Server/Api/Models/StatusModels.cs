namespace Weft.Server.Api.Models;

/// <summary>An audit event or SLA miss.</summary>
internal sealed record EventResponse(long Id, DateTimeOffset When, string Kind, string? DagId, string? RunId, string? TaskId, string Message);

/// <summary>A page of events.</summary>
internal sealed record EventCollection(IReadOnlyList<EventResponse> Events, int TotalEntries);

/// <summary>A process that runs tasks.</summary>
internal sealed record WorkerResponse(string Name, string Kind, IReadOnlyList<string> Queues, int ActiveRuns, DateTimeOffset? LatestHeartbeat)
{
    /// <summary>The machine it runs on.</summary>
    public string? Host { get; init; }

    /// <summary>Its process id there.</summary>
    public int? Pid { get; init; }

    /// <summary>Until when its lease holds; after that its work is taken up by others.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>The queued attempts it holds now (a worker's).</summary>
    public IReadOnlyList<WorkerAttemptResponse> RunningAttempts { get; init; } = [];
}

/// <summary>An attempt a worker holds.</summary>
internal sealed record WorkerAttemptResponse(string AttemptId, string DagId, string RunId, string TaskId, int TryNumber, string Queue, DateTimeOffset? ClaimedAt);

/// <summary>A page of workers.</summary>
internal sealed record WorkerCollection(IReadOnlyList<WorkerResponse> Workers, int TotalEntries);

/// <summary>One component's health.</summary>
internal sealed record ComponentHealth(string Status, DateTimeOffset? LatestHeartbeat, double? HeartbeatAgeSeconds, string? Owner = null, DateTimeOffset? LeaseExpiresAt = null, string? Error = null);

/// <summary><c>GET /api/v1/health</c>; <see cref="Workers"/> are the live processes that run tasks (empty while the database does not answer).</summary>
internal sealed record HealthResponse(string Status, ComponentHealth Database, ComponentHealth Scheduler, ComponentHealth Executor, ComponentHealth DagProcessor, IReadOnlyList<WorkerHealth> Workers);

/// <summary>A live worker in <c>/api/v1/health</c>: what <c>/api/v1/workers</c> says of it, with its held attempts counted.</summary>
internal sealed record WorkerHealth(string Name, string Kind, IReadOnlyList<string> Queues, DateTimeOffset? LatestHeartbeat, int HeldAttempts);

/// <summary><c>GET /</c>: where things are.</summary>
internal sealed record RootResponse(string Name, string Api, string Openapi, string Health)
{
    public static RootResponse Instance { get; } = new("weft", "/api/v1", "/openapi/v1.json", "/api/v1/health");
}
