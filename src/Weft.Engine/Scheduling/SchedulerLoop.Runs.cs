using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

internal sealed partial class SchedulerLoop
{
    /// <summary>
    /// Plans the DAG's due runs, oldest first, while it has fewer than <c>max_active_runs</c> runs queued or
    /// running. Returns when the DAG next needs planning: its next run's due time once every due run is
    /// planned, or never (until a run of it ends or the next pass) when <c>max_active_runs</c> holds some back.
    /// </summary>
    private async Task<DateTimeOffset> PlanDueRunsAsync(RegisteredDag reg, DateTimeOffset now, DuePlan plan, CancellationToken cancellationToken)
    {
        var dag = reg.Definition;
        if (dag.Schedule is null)
        {
            plan.NextDue[dag.Id] = DateTimeOffset.MaxValue;
            return DateTimeOffset.MaxValue;
        }

        if (!_lastLogicalDate.TryGetValue(dag.Id, out var last))
        {
            last = await ScheduledRuns.LastScheduledLogicalDateAsync(_store, dag.Id, cancellationToken).ConfigureAwait(false);
            _lastLogicalDate[dag.Id] = last;
        }

        IReadOnlyList<PlannedRun> due;
        IReadOnlyList<NewRun>? rows = null;
        DateTimeOffset? nextAfter = null;
        if (_prepared.Remove(dag.Id, out var prepared) && prepared.Fits(dag, last, now))
        {
            (due, rows, nextAfter) = (prepared.Due, prepared.Rows, prepared.NextAfter);
        }
        else
        {
            // Without start_date the schedule starts when the DAG was first seen, or after the runs it already has.
            due = RunPlanner.DueRuns(dag, now, last, last ?? Registry.FirstSeen(dag.Id));
        }

        var room = dag.MaxActiveRuns - plan.ActiveRuns(dag.Id);
        var take = Math.Max(0, Math.Min(room, due.Count));
        for (var i = 0; i < take; i++)
        {
            plan.Runs.Add(rows is null
                ? ScheduledRuns.New(dag, due[i], ScheduledRuns.Scheduled, dagFile: null, now)
                : new NewRun(rows[i].Run with { CreatedAt = now }, rows[i].Tasks));
            plan.LastLogicalDates[dag.Id] = due[i].LogicalDate;
        }

        if (take < due.Count || due.Count >= RunPlanner.MaxDueRuns)
        {
            // Held back by max_active_runs (or more than one call's worth of catchup): planned again on every pass.
            if (take < due.Count)
            {
                plan.Waiting.Add(dag.Id);
            }

            return DateTimeOffset.MaxValue;
        }

        var next = nextAfter ?? NextDueAfter(dag, now);
        plan.NextDue[dag.Id] = next;
        return next;
    }

    private static DateTimeOffset NextDueAfter(DagDefinition dag, DateTimeOffset instant) =>
        RunPlanner.NextRuns(dag, instant, 1) is [var upcoming] ? upcoming.RunAfter : DateTimeOffset.MaxValue;

    /// <summary>
    /// Plans, ahead of time, the runs of the DAGs that fall due at <paramref name="dueAt"/> (the loop's next
    /// wake-up), at most <paramref name="limit"/> DAGs per call, so that the pass at the due instant only checks
    /// and writes them. Only pure planning is done here: nothing is written or becomes visible before it is due.
    /// </summary>
    private void PrepareAhead(DateTimeOffset dueAt, HashSet<string> paused, int limit)
    {
        foreach (var reg in Registry.Dags.Values)
        {
            if (limit == 0)
            {
                return;
            }

            var dag = reg.Definition;
            if (paused.Contains(dag.Id) || !_nextDue.TryGetValue(dag.Id, out var due) || due != dueAt
                || _prepared.ContainsKey(dag.Id) || !_lastLogicalDate.TryGetValue(dag.Id, out var last))
            {
                continue;
            }

            var runs = RunPlanner.DueRuns(dag, dueAt, last, last ?? Registry.FirstSeen(dag.Id));
            var rows = runs.Select(r => ScheduledRuns.New(dag, r, ScheduledRuns.Scheduled, dagFile: null, dueAt)).ToList();
            _prepared[dag.Id] = new PreparedRuns(dag, last, dueAt, NextDueAfter(dag, dueAt), runs, rows);
            limit--;
        }
    }

    /// <summary>
    /// Creates the planned runs in one transaction. The database's unique (dag_id, logical_date) skips a run
    /// created elsewhere (another scheduler, a trigger or a backfill): it counts as created, never twice.
    /// </summary>
    private async Task<IReadOnlyList<NewRun>> CreatePlannedRunsAsync(DuePlan plan, CancellationToken cancellationToken)
    {
        IReadOnlyList<RunRecord> inserted = plan.Runs.Count == 0
            ? []
            : await _store.CreateRunsAsync(plan.Runs, _dispatcher?.Executor.Lease.OwnerId, cancellationToken).ConfigureAwait(false);

        foreach (var (dagId, last) in plan.LastLogicalDates)
        {
            _lastLogicalDate[dagId] = last;
        }

        foreach (var (dagId, next) in plan.NextDue)
        {
            _nextDue[dagId] = next;
        }

        if (inserted.Count == plan.Runs.Count)
        {
            return [.. plan.Runs];
        }

        var keys = inserted.Select(r => (r.DagId, r.RunId)).ToHashSet();
        var created = new List<NewRun>(inserted.Count);
        foreach (var planned in plan.Runs)
        {
            if (keys.Contains((planned.Run.DagId, planned.Run.RunId)))
            {
                created.Add(planned);
            }
            else
            {
                _logger.LogDebug("DAG {DagId}: logical date {LogicalDate} already has a run", planned.Run.DagId, RunIds.Format(planned.Run.LogicalDate!.Value));
            }
        }

        return created;
    }

    /// <summary>One line for the pass (a due point of many DAGs creates many runs at once); one per run with --verbose.</summary>
    private void LogCreated(IReadOnlyList<NewRun> created)
    {
        if (created.Count == 0)
        {
            return;
        }

        const int Named = 5;
        var names = string.Join(", ", created.Take(Named).Select(n => $"{n.Run.DagId} {n.Run.RunId}"));
        var more = created.Count > Named ? $", and {created.Count - Named} more" : "";
        _logger.LogInformation("created {Count} run(s): {Runs}{More}", created.Count, names, more);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var n in created)
            {
                _logger.LogDebug("DAG {DagId}: created run {RunId}", n.Run.DagId, n.Run.RunId);
            }
        }
    }

    private async Task CheckSlasAsync(IReadOnlyList<RunRecord> active, CancellationToken cancellationToken)
    {
        if (_dispatcher is not null)
        {
            while (_dispatcher.TryTakeFinished(out var finished))
            {
                await _sla.CheckAsync(finished.Dag, finished.Run, cancellationToken).ConfigureAwait(false);
            }
        }

        var withSla = active
            .Where(r => r.State == RunState.Running)
            .Select(r => (Dag: Registry.Dags.GetValueOrDefault(r.DagId)?.Definition, Run: r))
            .Where(p => p.Dag is not null && p.Dag.Tasks.Any(t => t.Sla is not null))
            .Select(p => (p.Dag!, p.Run));
        await _sla.CheckRunningAsync(withSla, cancellationToken).ConfigureAwait(false);
    }
}
