namespace Weft.Engine.Storage;

/// <summary>
/// The storage port: the only state shared between Weft processes. Shaped for the work, not a repository:
/// create a run with its task instances, commit a batch of changes in one transaction, claim, heartbeat
/// and complete attempts with fencing. SQLite and PostgreSQL implement it.
/// </summary>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>Opens the database and applies pending migrations.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a run and all its task instances in one transaction.</summary>
    /// <exception cref="DuplicateRunException">The run id, or the DAG's logical date, already has a run.</exception>
    Task CreateRunAsync(RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts runs, each with its task instances, in one transaction. A run whose id or (DAG, logical date) is
    /// already taken is skipped, not an error; any other failure writes none of them.
    /// </summary>
    /// <param name="owner">When set, the runs inserted are claimed by it (epoch 1): the scheduler that creates a run executes it.</param>
    /// <returns>The runs inserted, in the given order.</returns>
    Task<IReadOnlyList<RunRecord>> CreateRunsAsync(IReadOnlyList<NewRun> runs, string? owner, CancellationToken cancellationToken);

    /// <summary>A run with its task instances; by <paramref name="dagId"/> and run id, or the newest run with that id when <paramref name="dagId"/> is null.</summary>
    Task<RunSnapshot?> GetRunAsync(string? dagId, string runId, CancellationToken cancellationToken);

    /// <summary>Runs, newest first.</summary>
    Task<PagedResult<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Runs queued or running, oldest first (by creation), each with its <see cref="RunRecord.Owner"/>.</summary>
    Task<IReadOnlyList<RunRecord>> ListActiveRunsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes every change of the batch in one transaction. Batches committed at the same time by different
    /// callers may share a transaction; each caller's batch is still written whole or not at all, and a batch
    /// that fails does not fail the others.
    /// </summary>
    /// <exception cref="ClaimLostException">The batch carries a <see cref="StateBatch.Claim"/> that no longer holds; nothing of it was written.</exception>
    Task CommitAsync(StateBatch batch, CancellationToken cancellationToken);

    /// <summary>Every attempt of a run (optionally of one task), oldest first.</summary>
    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string dagId, string runId, string? taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a run and its task instances claimed by <paramref name="owner"/> (epoch 1) in one transaction: the
    /// process that creates a run to execute it owns it from the first instant.
    /// </summary>
    /// <exception cref="DuplicateRunException">The run id, or the DAG's logical date, already has a run.</exception>
    Task<RunClaim> CreateClaimedRunAsync(RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a queued or running run for <paramref name="owner"/> when no live owner holds it (none, or one whose
    /// lease ended before <paramref name="now"/>) or the owner itself does (taking it again after a preemption): the
    /// epoch grows by one and the run's rows are returned as of the claim. Null when the run is finished, missing,
    /// or held by another live owner.
    /// </summary>
    Task<ClaimedRun?> ClaimRunAsync(string dagId, string runId, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Registers an executing process (or refreshes its row).</summary>
    Task RegisterOwnerAsync(OwnerRecord owner, CancellationToken cancellationToken);

    /// <summary>
    /// Renews an owner's lease; false when the lease had already ended before <paramref name="now"/> (or the owner was
    /// expired by another process): the owner's claims may be taken, so it must stop and come back under a new id.
    /// </summary>
    Task<bool> RenewOwnerAsync(string ownerId, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken);

    /// <summary>Ends an owner's lease now (it is known to be dead): its runs become claimable at once.</summary>
    Task ExpireOwnerAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>Removes an owner that stopped cleanly, releasing any run it still holds.</summary>
    Task RemoveOwnerAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>Every registered owner, live or not, by start.</summary>
    Task<IReadOnlyList<OwnerRecord>> ListOwnersAsync(CancellationToken cancellationToken);

    /// <summary>Registers or updates a DAG's serialized definition; keeps its paused flag.</summary>
    Task UpsertDagAsync(DagRecord dag, CancellationToken cancellationToken);

    /// <summary>A registered DAG, or null.</summary>
    Task<DagRecord?> GetDagAsync(string dagId, CancellationToken cancellationToken);

    /// <summary>Registered DAGs, by id.</summary>
    Task<IReadOnlyList<DagRecord>> ListDagsAsync(CancellationToken cancellationToken);

    /// <summary>The ids of the paused DAGs.</summary>
    Task<IReadOnlyList<string>> ListPausedDagsAsync(CancellationToken cancellationToken);

    /// <summary>Task instances in one state across runs (the dead letters: <c>failed</c>), most recently ended first.</summary>
    Task<PagedResult<TaskInstanceRecord>> ListTaskInstancesAsync(TaskInstanceQuery query, CancellationToken cancellationToken);

    /// <summary>Removes a DAG's registration (its runs stay); false when it is unknown.</summary>
    Task<bool> DeleteDagAsync(string dagId, CancellationToken cancellationToken);

    /// <summary>Pauses or unpauses a DAG; false when it is unknown.</summary>
    Task<bool> SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken);

    /// <summary>Creates or resizes a pool.</summary>
    Task SetPoolAsync(string name, int slots, CancellationToken cancellationToken);

    /// <summary>Every pool, with the slots its running and queued task instances occupy.</summary>
    Task<IReadOnlyList<PoolRecord>> ListPoolsAsync(CancellationToken cancellationToken);

    /// <summary>Events (audit, SLA misses), newest first.</summary>
    Task<PagedResult<EventRecord>> ListEventsAsync(int limit, int offset, CancellationToken cancellationToken);

    // ---- the attempt queue (workers) -------------------------------------------------------------------

    /// <summary>
    /// Takes up to <paramref name="max"/> queued attempts of <paramref name="queues"/> for <paramref name="worker"/>, oldest
    /// first; attempts another worker is taking at the same instant are skipped, never waited for or taken twice. A
    /// worker whose lease does not hold at <paramref name="now"/> (or that is not registered) takes nothing.
    /// </summary>
    Task<IReadOnlyList<QueuedAttempt>> ClaimQueuedAsync(string worker, IReadOnlyList<string> queues, int max, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Writes what a worker reports, together (one round trip where the database allows): first the processes it started
    /// (on the queue entry and the attempt's row; only for attempts it still holds), then its results, fenced: each only
    /// while its attempt is still claimed by <paramref name="worker"/> and the worker's lease holds at
    /// <paramref name="now"/>. Returns the attempts whose result was accepted; the others were refused (taken back as lost,
    /// or withdrawn).
    /// </summary>
    Task<IReadOnlySet<string>> ReportQueuedAsync(string worker, IReadOnlyList<QueuedProcess> processes, IReadOnlyList<QueuedResult> results, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The queue entries of these attempts (missing ones are left out), each with its worker's lease.</summary>
    Task<IReadOnlyList<QueueEntry>> GetQueuedAsync(IReadOnlyCollection<string> attemptIds, CancellationToken cancellationToken);

    /// <summary>
    /// The claimed entries of one worker; or, with no worker given, every claimed entry and every entry taken back as
    /// lost (kept until a worker on its process's machine killed what it left); each with its worker's lease.
    /// </summary>
    Task<IReadOnlyList<QueueEntry>> ListClaimedAsync(string? worker, CancellationToken cancellationToken);

    /// <summary>Removes a queue entry (a lost one whose leftovers were killed).</summary>
    Task RemoveQueuedAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>Takes an attempt back from <paramref name="worker"/> as lost; false when it is no longer claimed by it (done already, say).</summary>
    Task<bool> MarkQueuedLostAsync(string attemptId, string worker, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a queued attempt: one no worker took yet is withdrawn (true); a claimed one gets its cancel flag, which its
    /// worker acts on (false).
    /// </summary>
    Task<bool> CancelQueuedAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>How many attempts wait in each queue (queues with none are left out).</summary>
    Task<IReadOnlyDictionary<string, int>> CountQueuedAsync(CancellationToken cancellationToken);

    /// <summary>Appends a piece of a worker's attempt log, starting at byte <paramref name="offset"/> of the log (a piece already stored is kept).</summary>
    Task AppendLogAsync(string attemptId, long offset, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>The stored log of an attempt from byte <paramref name="offset"/> on; null when nothing of it is stored.</summary>
    Task<byte[]?> ReadLogAsync(string attemptId, long offset, CancellationToken cancellationToken);
}
