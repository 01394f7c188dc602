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
    /// <returns>The runs inserted, in the given order.</returns>
    Task<IReadOnlyList<RunRecord>> CreateRunsAsync(IReadOnlyList<NewRun> runs, CancellationToken cancellationToken);

    /// <summary>A run with its task instances; by <paramref name="dagId"/> and run id, or the newest run with that id when <paramref name="dagId"/> is null.</summary>
    Task<RunSnapshot?> GetRunAsync(string? dagId, string runId, CancellationToken cancellationToken);

    /// <summary>Runs, newest first.</summary>
    Task<PagedResult<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Runs queued or running, oldest first (by creation).</summary>
    Task<IReadOnlyList<RunRecord>> ListActiveRunsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes every change of the batch in one transaction. Batches committed at the same time by different
    /// callers may share a transaction; each caller's batch is still written whole or not at all, and a batch
    /// that fails does not fail the others.
    /// </summary>
    Task CommitAsync(StateBatch batch, CancellationToken cancellationToken);

    /// <summary>Every attempt of a run (optionally of one task), oldest first.</summary>
    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string dagId, string runId, string? taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> queued task instances on the given queues for <paramref name="owner"/>,
    /// starting an attempt for each (state running, lease until <paramref name="leaseExpiresAt"/>). Each instance is
    /// claimed by exactly one caller.
    /// </summary>
    Task<IReadOnlyList<AttemptRecord>> ClaimQueuedAsync(string owner, IReadOnlyList<string> queues, int limit, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken);

    /// <summary>Extends an attempt's lease; false when the attempt is no longer the owner's running attempt.</summary>
    Task<bool> HeartbeatAsync(string attemptId, string owner, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt's end and its task instance's new state, fenced: refused (false) unless the attempt
    /// is still the task instance's current running attempt.
    /// </summary>
    Task<bool> CompleteAttemptAsync(AttemptCompletion completion, CancellationToken cancellationToken);

    /// <summary>Running attempts whose lease expired before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<AttemptRecord>> GetExpiredAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Registers or updates a DAG's serialized definition; keeps its paused flag.</summary>
    Task UpsertDagAsync(DagRecord dag, CancellationToken cancellationToken);

    /// <summary>A registered DAG, or null.</summary>
    Task<DagRecord?> GetDagAsync(string dagId, CancellationToken cancellationToken);

    /// <summary>Registered DAGs, by id.</summary>
    Task<IReadOnlyList<DagRecord>> ListDagsAsync(CancellationToken cancellationToken);

    /// <summary>The ids of the paused DAGs.</summary>
    Task<IReadOnlyList<string>> ListPausedDagsAsync(CancellationToken cancellationToken);

    /// <summary>Pauses or unpauses a DAG; false when it is unknown.</summary>
    Task<bool> SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken);

    /// <summary>Creates or resizes a pool.</summary>
    Task SetPoolAsync(string name, int slots, CancellationToken cancellationToken);

    /// <summary>Every pool, with the slots its running and queued task instances occupy.</summary>
    Task<IReadOnlyList<PoolRecord>> ListPoolsAsync(CancellationToken cancellationToken);

    /// <summary>Events (audit, SLA misses), newest first.</summary>
    Task<PagedResult<EventRecord>> ListEventsAsync(int limit, int offset, CancellationToken cancellationToken);
}
