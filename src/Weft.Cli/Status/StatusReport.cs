namespace Weft.Cli.Status;

/// <summary>What <c>weft status</c> shows, read from the database at one instant; also its <c>--json</c> shape.</summary>
internal sealed record StatusReport(
    DateTimeOffset GeneratedAt,
    IReadOnlyList<ActiveRun> ActiveRuns,
    IReadOnlyList<RecentFailure> RecentFailures,
    IReadOnlyList<DueRun> NextRuns,
    IReadOnlyList<PoolUse> Pools,
    IReadOnlyList<Worker> Workers);

/// <summary>A queued or running run and how far it got.</summary>
/// <param name="TaskStates">How many of its task instances are in each state, by state name.</param>
internal sealed record ActiveRun(
    string DagId,
    string RunId,
    string State,
    string RunType,
    DateTimeOffset? StartDate,
    string? Owner,
    int TasksDone,
    int TasksTotal,
    IReadOnlyDictionary<string, int> TaskStates);

/// <summary>A task instance that failed in one of the recent runs.</summary>
internal sealed record RecentFailure(
    string DagId,
    string RunId,
    string TaskId,
    int TryNumber,
    int? ExitCode,
    string Reason,
    DateTimeOffset? EndDate);

/// <summary>The next run a DAG's schedule calls for: the scheduler creates it at <see cref="RunAfter"/>.</summary>
internal sealed record DueRun(
    string DagId,
    string Schedule,
    string Timezone,
    bool IsPaused,
    DateTimeOffset LogicalDate,
    DateTimeOffset RunAfter);

/// <summary>A pool's slots.</summary>
internal sealed record PoolUse(string Name, int Slots, int OccupiedSlots, int OpenSlots);

/// <summary>A registered process that executes work, and whether its lease still holds.</summary>
internal sealed record Worker(
    string OwnerId,
    string Kind,
    string Host,
    int Pid,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset LeaseExpiresAt,
    bool IsAlive);
