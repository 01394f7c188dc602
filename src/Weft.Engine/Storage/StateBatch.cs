namespace Weft.Engine.Storage;

/// <summary>
/// State changes written together in one transaction, in this order: runs, task instances (whole rows,
/// replaced), attempts started, attempts ended, events. Batching is what keeps a 10,000-task run cheap.
/// </summary>
public sealed class StateBatch
{
    /// <summary>
    /// The claim every write of the batch is made under, or null for writes outside execution (creating runs,
    /// operator actions). The store refuses the whole batch when the claim no longer holds.
    /// </summary>
    public RunClaim? Claim { get; set; }

    /// <summary>Gives up <see cref="Claim"/> once the batch is written (the run finished, or was stopped).</summary>
    public bool ReleaseClaim { get; set; }

    /// <summary>
    /// A run as the writer read it (its <see cref="RunRecord.Version"/>): the batch is written only while the run is still
    /// at that version, else refused whole with <see cref="RunChangedException"/>, so a change computed from what was
    /// read never overwrites what an executor wrote since. Operator actions use it.
    /// </summary>
    public (string DagId, string RunId, long Version)? ExpectedRun { get; set; }

    /// <summary>
    /// Runs whose claim is revoked by this batch (epoch + 1; the owner is kept while the run is running, so no other
    /// process takes it, and cleared otherwise): the executor holding one is refused its next write, claims the run
    /// again as it now is and stops only the attempts whose task changed. Operator actions use it.
    /// </summary>
    public List<(string DagId, string RunId)> RunsPreempted { get; } = [];

    /// <summary>
    /// Runs to update: state, start, end, conf and DAG file (what a run was created as, its type, logical date,
    /// data interval and creation time, stays); inserted whole when missing.
    /// </summary>
    public List<RunRecord> Runs { get; } = [];
    /// <summary>Task instances to update (whole rows).</summary>
    public List<TaskInstanceRecord> TaskInstances { get; } = [];
    /// <summary>Attempts to insert.</summary>
    public List<AttemptRecord> AttemptsStarted { get; } = [];
    /// <summary>Attempts to update with their end (matched by attempt id; the start stays as inserted).</summary>
    public List<AttemptRecord> AttemptsEnded { get; } = [];
    /// <summary>Events to append (the id is assigned by the store).</summary>
    public List<EventRecord> Events { get; } = [];
    /// <summary>Process identities of running attempts to record.</summary>
    public List<AttemptProcess> AttemptProcesses { get; } = [];
    /// <summary>Attempts to hand to workers (inserted into the attempt queue).</summary>
    public List<QueuedAttempt> AttemptsQueued { get; } = [];
    /// <summary>Queue entries whose end the run recorded (removed from the attempt queue).</summary>
    public List<string> QueueEntriesDone { get; } = [];

    /// <summary>True when there is nothing to write.</summary>
    public bool IsEmpty => Runs.Count == 0 && TaskInstances.Count == 0 && AttemptsStarted.Count == 0 && AttemptsEnded.Count == 0 && Events.Count == 0
        && AttemptProcesses.Count == 0 && RunsPreempted.Count == 0 && !ReleaseClaim
        && AttemptsQueued.Count == 0 && QueueEntriesDone.Count == 0;

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        Runs.Clear();
        TaskInstances.Clear();
        AttemptsStarted.Clear();
        AttemptsEnded.Clear();
        Events.Clear();
        AttemptProcesses.Clear();
        AttemptsQueued.Clear();
        QueueEntriesDone.Clear();
        RunsPreempted.Clear();
        ReleaseClaim = false;
        ExpectedRun = null;
    }
}
