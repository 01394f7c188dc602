using Weft.Core.Dags;
using Weft.Core.Scheduling;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>Creates the runs of a schedule: <c>scheduled__…</c> by the scheduler, <c>backfill__…</c> by a backfill.</summary>
internal static class ScheduledRuns
{
    public const string Scheduled = "scheduled";
    public const string Backfill = "backfill";
    public const string Manual = "manual";

    /// <summary>
    /// Inserts the run, queued, with its task instances. False when the DAG already has a run for that logical
    /// date (created by another scheduler, a trigger or a backfill): the database's uniqueness decides, so a run
    /// is never created twice.
    /// </summary>
    /// <param name="dagFile">
    /// Null for runs the scheduler executes; the DAG file for runs another process (a backfill) executes itself.
    /// </param>
    /// <param name="owner">Claims the run for this owner as it is created (the process that executes it); null for none.</param>
    public static async Task<NewRun?> TryCreateAsync(
        IStateStore store, DagDefinition dag, PlannedRun planned, string runType, string? dagFile, string? owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = New(dag, planned, runType, dagFile, now);
        var inserted = await store.CreateRunsAsync([created], owner, cancellationToken).ConfigureAwait(false);
        return inserted.Count == 0 ? null : created;
    }

    /// <summary>The rows of a new run of <paramref name="planned"/>: the run, queued, and one task instance per task.</summary>
    public static NewRun New(DagDefinition dag, PlannedRun planned, string runType, string? dagFile, DateTimeOffset now)
    {
        var runId = runType == Backfill ? RunIds.Backfill(planned.LogicalDate) : RunIds.Scheduled(planned.LogicalDate);
        var run = RunFactory.NewRun(
            dag, runId, runType, planned.LogicalDate, planned.DataIntervalStart, planned.DataIntervalEnd,
            RunFactory.EffectiveParams(dag, null), dagFile, now);
        return new NewRun(run, RunFactory.NewTaskInstances(dag, runId));
    }

    /// <summary>
    /// The logical date of the newest scheduled run of the DAG, or null. Runs are listed newest first, so the
    /// scheduled ones met first are the newest; composed from the run list since the store has no such query.
    /// </summary>
    public static async Task<DateTimeOffset?> LastScheduledLogicalDateAsync(IStateStore store, string dagId, CancellationToken cancellationToken)
    {
        const int Page = 200;
        DateTimeOffset? last = null;
        for (var offset = 0; ; offset += Page)
        {
            var page = await store.ListRunsAsync(new RunQuery(dagId, Limit: Page, Offset: offset), cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Items)
            {
                if (run.RunType == Scheduled && run.LogicalDate is { } d && (last is null || d > last))
                {
                    last = d;
                }
            }

            if (last is not null || page.Items.Count < Page)
            {
                return last;
            }
        }
    }

    /// <summary>Every run of the DAG, by logical date (runs without one are left out).</summary>
    public static async Task<Dictionary<DateTimeOffset, RunRecord>> RunsByLogicalDateAsync(IStateStore store, string dagId, CancellationToken cancellationToken)
    {
        const int Page = 500;
        var runs = new Dictionary<DateTimeOffset, RunRecord>();
        for (var offset = 0; ; offset += Page)
        {
            var page = await store.ListRunsAsync(new RunQuery(dagId, Limit: Page, Offset: offset), cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Items)
            {
                if (run.LogicalDate is { } d)
                {
                    runs.TryAdd(d.ToUniversalTime(), run);
                }
            }

            if (page.Items.Count < Page)
            {
                return runs;
            }
        }
    }
}
