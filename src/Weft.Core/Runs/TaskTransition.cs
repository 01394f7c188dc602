namespace Weft.Core.Runs;

/// <summary>A state change of one task that the run coordinator decided.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="From">Its state before.</param>
/// <param name="To">Its state after; <see cref="TaskState.Scheduled"/> means ready to run.</param>
/// <param name="Reason">Why, for the audit trail; null when self-evident.</param>
internal readonly record struct TaskTransition(string TaskId, TaskState From, TaskState To, string? Reason);
