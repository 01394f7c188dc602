using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Cli.Status;

/// <summary>Reads a <see cref="StatusReport"/> from the database (and the DAGs folder, for schedules), as the other commands do.</summary>
internal static class StatusReader
{
    /// <summary>How many of the newest runs are searched for failed tasks.</summary>
    private const int RecentRuns = 20;

    private const int MaxFailures = 10;

    public static async Task<StatusReport> ReadAsync(IStateStore store, string dagsFolder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var active = await store.ListActiveRunsAsync(cancellationToken).ConfigureAwait(false);
        var recent = await store.ListRunsAsync(new RunQuery(Limit: RecentRuns), cancellationToken).ConfigureAwait(false);

        var snapshots = new List<RunSnapshot>();
        var seen = new HashSet<(string, string)>();
        foreach (var run in active.Concat(recent.Items))
        {
            if (seen.Add((run.DagId, run.RunId))
                && await store.GetRunAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false) is { } snapshot)
            {
                snapshots.Add(snapshot);
            }
        }

        var activeIds = active.Select(r => (r.DagId, r.RunId)).ToHashSet();
        var activeRuns = snapshots
            .Where(s => activeIds.Contains((s.Run.DagId, s.Run.RunId)))
            .Select(s => Progress(s, active.First(r => r.DagId == s.Run.DagId && r.RunId == s.Run.RunId).Owner))
            .ToList();

        var failures = snapshots
            .SelectMany(s => s.Tasks.Where(t => t.State == TaskState.Failed).Select(t => new RecentFailure(
                t.DagId, t.RunId, t.TaskId, t.TryNumber, t.ExitCode,
                t.Reason ?? (t.ExitCode is { } code ? $"exit code {code}" : "failed"),
                t.EndDate)))
            .OrderByDescending(f => f.EndDate ?? DateTimeOffset.MinValue)
            .Take(MaxFailures)
            .ToList();

        var dags = await new OperatorActions(store, TimeProvider.System).ListDagsAsync(dagsFolder, cancellationToken).ConfigureAwait(false);
        var nextRuns = new List<DueRun>();
        foreach (var entry in dags)
        {
            // The scheduler's own rule for when a DAG's next run falls due.
            if (entry is { DagId: { } id, Definition: { Schedule: { } schedule } dag }
                && RunPlanner.NextRuns(dag, now, 1) is [var next])
            {
                nextRuns.Add(new DueRun(id, schedule.Text, dag.TimeZone.Id, entry.Registered?.IsPaused ?? false, next.LogicalDate, next.RunAfter));
            }
        }

        nextRuns.Sort((a, b) => a.RunAfter.CompareTo(b.RunAfter));

        var pools = (await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false))
            .Select(p => new PoolUse(p.Name, p.Slots, p.OccupiedSlots, Math.Max(0, p.Slots - p.OccupiedSlots)))
            .ToList();
        var workers = (await store.ListOwnersAsync(cancellationToken).ConfigureAwait(false))
            .Select(o => new Worker(o.OwnerId, o.Kind, o.Host, o.Pid, o.StartedAt, o.HeartbeatAt, o.LeaseExpiresAt, o.LeaseExpiresAt > now))
            .ToList();

        return new StatusReport(now, activeRuns, failures, nextRuns, pools, workers);
    }

    private static ActiveRun Progress(RunSnapshot snapshot, string? owner)
    {
        var run = snapshot.Run;
        var counts = snapshot.Tasks
            .GroupBy(t => t.State)
            .OrderBy(g => g.Key)
            .ToDictionary(g => g.Key.ToName(), g => g.Count(), StringComparer.Ordinal);
        return new ActiveRun(
            run.DagId, run.RunId, run.State.ToName(), run.RunType, run.StartDate, owner,
            snapshot.Tasks.Count(t => t.State.IsFinished()), snapshot.Tasks.Count, counts);
    }
}
