namespace Weft.Engine.Storage;

/// <summary>
/// A process that executes work (<c>weft run</c>, a scheduler, a server, a worker, a host app): who it is, where it
/// runs, and until when its lease holds. The lease is renewed by heartbeat; once it has passed, whatever the owner
/// claimed may be claimed by another.
/// </summary>
/// <param name="OwnerId">Unique per process and per lease generation (a process that lost its lease takes a new id).</param>
/// <param name="Kind">What the process is: <c>run</c>, <c>backfill</c>, <c>scheduler</c>, <c>server</c>, <c>worker</c>, <c>host</c>.</param>
/// <param name="Host">The machine's name.</param>
/// <param name="Pid">The process id on <paramref name="Host"/>.</param>
/// <param name="ProcessStart">The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it; 0 when unknown.</param>
public sealed record OwnerRecord(
    string OwnerId,
    string Kind,
    string Host,
    int Pid,
    long ProcessStart,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset LeaseExpiresAt)
{
    /// <summary>The queues a worker serves; empty for owners that take no queued attempts.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];
}

/// <summary>
/// The right to write a run's state: held by <paramref name="Owner"/> under <paramref name="Epoch"/>, which grows by one
/// at every claim (and every preemption by an operator action), so a writer whose claim has passed on is refused.
/// </summary>
public sealed record RunClaim(string DagId, string RunId, string Owner, long Epoch);

/// <summary>A run claimed by the caller, with its rows as they were at the claim.</summary>
public sealed record ClaimedRun(RunClaim Claim, RunSnapshot Snapshot);

/// <summary>The operating-system identity of an attempt's process, recorded so that an orphan can be found and killed.</summary>
/// <param name="ProcessStart">Start time of <paramref name="Pid"/> in clock ticks since boot; 0 when unknown.</param>
/// <param name="ProcessGroup">The process group the attempt leads (its pid when it was started in a session of its own), or 0.</param>
public sealed record ProcessIdentity(string Host, int Pid, long ProcessStart, int ProcessGroup);

/// <summary>An attempt's process identity to record (<see cref="StateBatch.AttemptProcesses"/>).</summary>
public sealed record AttemptProcess(string AttemptId, ProcessIdentity Process);

/// <summary>A write was refused because the writer's claim on the run has passed to another owner (or was revoked).</summary>
public sealed class ClaimLostException(RunClaim claim)
    : Exception($"the claim of '{claim.Owner}' on run '{claim.RunId}' of DAG '{claim.DagId}' has passed on")
{
    /// <summary>The claim that no longer holds.</summary>
    public RunClaim Claim { get; } = claim;
}

/// <summary>A batch's <see cref="StateBatch.ExpectedRun"/> no longer holds: the run was written since it was read; nothing of the batch is written.</summary>
public sealed class RunChangedException(string dagId, string runId)
    : Exception($"run '{runId}' of DAG '{dagId}' changed while the change was being made")
{
    /// <summary>The run's DAG.</summary>
    public string DagId { get; } = dagId;

    /// <summary>The run.</summary>
    public string RunId { get; } = runId;
}
