using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Scheduling;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

internal sealed partial class SchedulerLoop
{
    /// <summary>
    /// Creates the DAG's due runs, oldest first, while it has fewer than <c>max_active_runs</c> runs queued or
    /// running. The database's unique (dag_id, logical_date) makes a run created elsewhere count as created.
    /// </summary>
    private async Task<List<RunRecord>> CreateDueRunsAsync(RegisteredDag reg, DateTimeOffset now, int active, CancellationToken cancellationToken)
    {
        var dag = reg.Definition;
        var created = new List<RunRecord>();
        var room = dag.MaxActiveRuns - active;
        if (dag.Schedule is null || room <= 0)
        {
            return created;
        }

        if (!_lastLogicalDate.TryGetValue(dag.Id, out var last))
        {
            last = await ScheduledRuns.LastScheduledLogicalDateAsync(_store, dag.Id, cancellationToken).ConfigureAwait(false);
            _lastLogicalDate[dag.Id] = last;
        }

        // Without start_date the schedule starts when the DAG was first seen, or after the runs it already has.
        var due = RunPlanner.DueRuns(dag, now, last, last ?? Registry.FirstSeen(dag.Id));
        foreach (var planned in due.Take(room))
        {
            var run = await ScheduledRuns.TryCreateAsync(_store, dag, planned, ScheduledRuns.Scheduled, null, now, cancellationToken).ConfigureAwait(false);
            _lastLogicalDate[dag.Id] = planned.LogicalDate;
            if (run is null)
            {
                _logger.LogDebug("DAG {DagId}: logical date {LogicalDate} already has a run", dag.Id, RunIds.Format(planned.LogicalDate));
                continue;
            }

            _logger.LogInformation("DAG {DagId}: created run {RunId}", dag.Id, run.RunId);
            created.Add(run);
        }

        return created;
    }

    /// <summary>
    /// Starts queued runs, oldest first, while the DAG has fewer than <c>max_active_runs</c> running. Only runs
    /// without a DAG file are the scheduler's: <c>weft run</c> and <c>weft backfill</c> execute their own.
    /// On the first pass, runs left running by an earlier scheduler process are resumed.
    /// </summary>
    private void Dispatch(Dictionary<string, DagRecord> records, List<RunRecord> queued, IReadOnlyList<RunRecord> running)
    {
        if (!_adopted)
        {
            _adopted = true;
            foreach (var run in running.Where(r => r.DagFile is null))
            {
                if (Definition(records, run.DagId) is { } dag)
                {
                    _logger.LogInformation("DAG {DagId}: resuming run {RunId} left running by an earlier scheduler", run.DagId, run.RunId);
                    _dispatcher!.Start(dag, run);
                }
            }
        }

        foreach (var group in queued.Where(r => r.DagFile is null).GroupBy(r => r.DagId, StringComparer.Ordinal))
        {
            if (!records.TryGetValue(group.Key, out var record) || record.IsPaused || Definition(records, group.Key) is not { } dag)
            {
                continue;
            }

            var busy = running.Where(r => r.DagId == dag.Id).Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
            busy.UnionWith(_dispatcher!.ActiveRuns(dag.Id));
            foreach (var run in group.OrderBy(r => r.LogicalDate ?? r.CreatedAt).ThenBy(r => r.CreatedAt))
            {
                if (busy.Contains(run.RunId))
                {
                    continue;
                }

                if (busy.Count >= dag.MaxActiveRuns)
                {
                    break;
                }

                _dispatcher.Start(dag, run);
                busy.Add(run.RunId);
            }
        }
    }

    private async Task CheckSlasAsync(IReadOnlyList<RunRecord> running, CancellationToken cancellationToken)
    {
        if (_dispatcher is not null)
        {
            while (_dispatcher.TryTakeFinished(out var finished))
            {
                await _sla.CheckAsync(finished.Dag, finished.Run, cancellationToken).ConfigureAwait(false);
            }
        }

        var withSla = running
            .Select(r => (Dag: Registry.Dags.GetValueOrDefault(r.DagId)?.Definition, Run: r))
            .Where(p => p.Dag is not null && p.Dag.Tasks.Any(t => t.Sla is not null))
            .Select(p => (p.Dag!, p.Run));
        await _sla.CheckRunningAsync(withSla, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version a run executes: the registered one (the last good one when the file is broken now).</summary>
    private DagDefinition? Definition(Dictionary<string, DagRecord> records, string dagId) =>
        Registry.Dags.TryGetValue(dagId, out var reg) ? reg.Definition
        : records.TryGetValue(dagId, out var record) ? Registry.Parse(record)
        : null;
}
