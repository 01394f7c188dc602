namespace Weft.Server.Api.Models;

/// <summary>A task instance listed across runs: where it belongs, and the instance as a run shows it.</summary>
internal sealed record DeadLetterResponse(string DagId, string RunId, TaskInstanceResponse TaskInstance);

/// <summary>A page of task instances across runs.</summary>
internal sealed record DeadLetterCollection(IReadOnlyList<DeadLetterResponse> TaskInstances, int TotalEntries);

/// <summary>A circuit breaker shared by the tasks that name it.</summary>
internal sealed record CircuitBreakerResponse(string Name, string State, int Failures, DateTimeOffset? OpenedAt, DateTimeOffset? ProbeStartedAt, DateTimeOffset UpdatedAt);

/// <summary>Every circuit breaker.</summary>
internal sealed record CircuitBreakerCollection(IReadOnlyList<CircuitBreakerResponse> CircuitBreakers, int TotalEntries);
