using Weft.Core.Runs;

namespace Weft.Engine.Storage;

/// <summary>A DAG run row.</summary>
/// <param name="ConfJson">The run's parameters as a JSON object.</param>
/// <param name="DagFile">The DAG file the run was started from, for resume; null for registered DAGs.</param>
public sealed record RunRecord(
    string DagId,
    string RunId,
    RunState State,
    string RunType,
    DateTimeOffset? LogicalDate,
    DateTimeOffset? DataIntervalStart,
    DateTimeOffset? DataIntervalEnd,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    string ConfJson,
    string? DagFile,
    DateTimeOffset CreatedAt)
{
    /// <summary>SHA-256 of the DAG source the run was created from; null for DAGs built in code.</summary>
    public string? DagHash { get; init; }

    /// <summary>The DAG's <c>version</c> label when the run was created; null when it had none.</summary>
    public string? DagVersion { get; init; }

    /// <summary>The process that holds the run's claim, or null; read from the store, never written through this record.</summary>
    public string? Owner { get; init; }

    /// <summary>How many times the run has been claimed or preempted; a claim holds only at the epoch it was made at.</summary>
    public long ClaimEpoch { get; init; }

    /// <summary>
    /// Moves on with every write made under a claim or checked by <see cref="StateBatch.ExpectedRun"/>: an operator's
    /// change written only while it is still what the change was computed from; read from the store, never written
    /// through this record.
    /// </summary>
    public long Version { get; init; }
}

/// <summary>A task instance row: one per task per run, holding its current try.</summary>
public sealed record TaskInstanceRecord(
    string DagId,
    string RunId,
    string TaskId,
    TaskState State,
    int TryNumber,
    int MaxTries,
    int? ExitCode,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate,
    DateTimeOffset? NextRetryAt,
    string? AttemptId,
    string? Reason,
    string Queue,
    string Pool,
    int PoolSlots,
    int Priority,
    IReadOnlyDictionary<string, string> Outputs)
{
    /// <summary>How many of its attempts were lost (their owner died); at 3 the task fails as <c>lost 3 times</c>.</summary>
    public int LostCount { get; init; }
}

/// <summary>A run and its task instances.</summary>
public sealed record RunSnapshot(RunRecord Run, IReadOnlyList<TaskInstanceRecord> Tasks);

/// <summary>A run to create with its task instances (<see cref="IStateStore.CreateRunsAsync"/>).</summary>
public sealed record NewRun(RunRecord Run, IReadOnlyList<TaskInstanceRecord> Tasks);

/// <summary>One try of a task (history).</summary>
public sealed record AttemptRecord(
    string AttemptId,
    string DagId,
    string RunId,
    string TaskId,
    int TryNumber,
    TaskState State,
    string? Owner,
    DateTimeOffset StartDate,
    DateTimeOffset? EndDate,
    DateTimeOffset? LeaseExpiresAt,
    int? ExitCode,
    string? Reason,
    string? LogPath)
{
    /// <summary>The attempt's process, once it started one; null for attempts that run no process.</summary>
    public ProcessIdentity? Process { get; init; }
}

/// <summary>A registered DAG: its serialized definition and hash.</summary>
public sealed record DagRecord(
    string DagId,
    string? FilePath,
    string Source,
    string Hash,
    bool IsPaused,
    string? ScheduleText,
    string TagsJson,
    string? LoadError,
    DateTimeOffset UpdatedAt);

/// <summary>A pool and how many of its slots are taken.</summary>
public sealed record PoolRecord(string Name, int Slots, int OccupiedSlots);

/// <summary>An audit or SLA event.</summary>
public sealed record EventRecord(long Id, DateTimeOffset When, string Kind, string? DagId, string? RunId, string? TaskId, string Message);

/// <summary>Filter and page for run lists.</summary>
public sealed record RunQuery(string? DagId = null, RunState? State = null, int Limit = 100, int Offset = 0);

/// <summary>Filter and page for task instances across runs.</summary>
public sealed record TaskInstanceQuery(TaskState State, string? DagId = null, int Limit = 100, int Offset = 0);

/// <summary>A page of a list and the total count.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalEntries);

/// <summary>The run id or logical date is taken.</summary>
public sealed class DuplicateRunException(string message) : Exception(message);
