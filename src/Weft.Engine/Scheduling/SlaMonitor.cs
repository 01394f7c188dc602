using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// Finds tasks that missed their <c>sla</c> (not done that long after the run started), records each miss
/// once as an <c>sla_miss</c> event and notifies it through the DAG's <c>on_failure</c> hook.
/// </summary>
internal sealed class SlaMonitor
{
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<DagDefinition, RunSnapshot, SlaMiss, Task> _notify;
    private readonly HashSet<(string DagId, string RunId, string TaskId)> _reported = [];
    private bool _loaded;

    public SlaMonitor(IStateStore store, TimeProvider time, ILogger logger, Func<DagDefinition, RunSnapshot, SlaMiss, Task>? notify = null)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _notify = notify ?? ((dag, run, miss) => SlaNotifier.NotifyAsync(dag, run, miss, logger, CancellationToken.None));
    }

    /// <summary>The misses in a run at <paramref name="now"/>: a task not finished past its deadline, or finished after it.</summary>
    public static IReadOnlyList<SlaMiss> Find(DagDefinition dag, RunSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot.Run.StartDate is not { } started)
        {
            return [];
        }

        var misses = new List<SlaMiss>();
        var instances = snapshot.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        foreach (var task in dag.Tasks)
        {
            if (task.Sla is not { } sla || !instances.TryGetValue(task.Id, out var inst))
            {
                continue;
            }

            var deadline = started + sla;
            var done = inst.State.IsFinished();
            var late = done ? inst.EndDate is { } end && end > deadline : now > deadline;
            if (late)
            {
                var what = done ? $"it ended {RunIds.Format(inst.EndDate!.Value)}, state {inst.State.ToName()}" : $"still {inst.State.ToName()}";
                misses.Add(new SlaMiss(dag.Id, snapshot.Run.RunId, task.Id, sla, deadline,
                    $"task '{task.Id}' missed its SLA of {Duration.Format(sla)}: not done by {RunIds.Format(deadline)} ({what})"));
            }
        }

        return misses;
    }

    /// <summary>Checks runs still executing; only those past their earliest deadline are read.</summary>
    public async Task CheckRunningAsync(IEnumerable<(DagDefinition Dag, RunRecord Run)> running, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var (dag, run) in running)
        {
            var slas = dag.Tasks.Where(t => t.Sla is not null && !_reported.Contains((dag.Id, run.RunId, t.Id))).Select(t => t.Sla!.Value).ToList();
            if (slas.Count == 0 || run.StartDate is not { } started || now <= started + slas.Min())
            {
                continue;
            }

            if (await _store.GetRunAsync(dag.Id, run.RunId, cancellationToken).ConfigureAwait(false) is { } snapshot)
            {
                await CheckAsync(dag, snapshot, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records and notifies the run's misses not reported yet.</summary>
    public async Task CheckAsync(DagDefinition dag, RunSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (!dag.Tasks.Any(t => t.Sla is not null))
        {
            return;
        }

        await LoadReportedAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var fresh = Find(dag, snapshot, now).Where(m => !_reported.Contains((m.DagId, m.RunId, m.TaskId))).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var batch = new StateBatch();
        foreach (var miss in fresh)
        {
            batch.Events.Add(new EventRecord(0, now, SlaMiss.EventKind, miss.DagId, miss.RunId, miss.TaskId, miss.Message));
        }

        await _store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        foreach (var miss in fresh)
        {
            _reported.Add((miss.DagId, miss.RunId, miss.TaskId));
            _logger.LogWarning("DAG {DagId}: run {RunId}: {Message}", miss.DagId, miss.RunId, miss.Message);

            // The hook may be slow (a webhook, a script); the scheduler does not wait for it.
            _ = Task.Run(() => _notify(dag, snapshot, miss), CancellationToken.None);
        }
    }

    // Misses recorded by an earlier scheduler process are not reported again.
    private async Task LoadReportedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        var events = await _store.ListEventsAsync(1000, 0, cancellationToken).ConfigureAwait(false);
        foreach (var e in events.Items)
        {
            if (e.Kind == SlaMiss.EventKind && e.DagId is not null && e.RunId is not null && e.TaskId is not null)
            {
                _reported.Add((e.DagId, e.RunId, e.TaskId));
            }
        }

        _loaded = true;
    }
}
