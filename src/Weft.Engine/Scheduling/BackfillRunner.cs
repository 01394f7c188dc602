using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// <c>weft backfill</c>: one run per interval whose logical date lies in the range, executed in this process,
/// at most <c>max_active_runs</c> at once, oldest first. An interval that already has a run keeps it (a
/// successful run is never duplicated); with <c>rerunFailed</c> a failed one is cleared and run again.
/// </summary>
internal sealed class BackfillRunner
{
    private readonly IStateStore _store;
    private readonly Executor _executor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BackfillRunner(Executor executor, TimeProvider time, ILogger logger)
    {
        _store = executor.Store;
        _executor = executor;
        _time = time;
        _logger = logger;
    }

    /// <param name="dagFile">Recorded on the runs, so that whoever takes one up after a crash executes this file.</param>
    public async Task<IReadOnlyList<BackfillOutcome>> RunAsync(
        DagDefinition dag, DateTimeOffset from, DateTimeOffset to, bool rerunFailed, string dagFile, CancellationToken cancellationToken)
    {
        var planned = RunPlanner.Backfill(dag, from, to);
        var existing = await ScheduledRuns.RunsByLogicalDateAsync(_store, dag.Id, cancellationToken).ConfigureAwait(false);
        var outcomes = new BackfillOutcome[planned.Count];
        var claims = new ClaimedRun?[planned.Count];
        var toRun = new List<int>();
        for (var i = 0; i < planned.Count; i++)
        {
            var p = planned[i];
            if (!existing.TryGetValue(p.LogicalDate.ToUniversalTime(), out var run))
            {
                var owner = _executor.Lease.OwnerId;
                var created = await ScheduledRuns.TryCreateAsync(_store, dag, p, ScheduledRuns.Backfill, dagFile, owner, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (created is null)
                {
                    outcomes[i] = new BackfillOutcome(p, RunIds.Backfill(p.LogicalDate), BackfillAction.Kept, RunState.Queued, "created meanwhile by another process");
                    continue;
                }

                claims[i] = new ClaimedRun(new RunClaim(dag.Id, created.Run.RunId, owner, 1), new RunSnapshot(created.Run, created.Tasks));
                outcomes[i] = new BackfillOutcome(p, created.Run.RunId, BackfillAction.Created, RunState.Queued);
                toRun.Add(i);
                continue;
            }

            (outcomes[i], var execute) = run.State switch
            {
                RunState.Failed when rerunFailed => (new BackfillOutcome(p, run.RunId, BackfillAction.Rerun, run.State), true),
                RunState.Failed => (new BackfillOutcome(p, run.RunId, BackfillAction.Kept, run.State, "failed; --rerun-failed runs it again"), false),
                RunState.Queued when run.DagFile is not null => (new BackfillOutcome(p, run.RunId, BackfillAction.Resumed, run.State), true),
                RunState.Queued => (new BackfillOutcome(p, run.RunId, BackfillAction.Kept, run.State, "queued for the scheduler"), false),
                RunState.Running when run.DagFile is not null => (new BackfillOutcome(p, run.RunId, BackfillAction.Resumed, run.State), true),
                RunState.Running => (new BackfillOutcome(p, run.RunId, BackfillAction.Kept, run.State, "running elsewhere"), false),
                _ => (new BackfillOutcome(p, run.RunId, BackfillAction.Kept, run.State), false),
            };
            if (execute)
            {
                if (outcomes[i].Action == BackfillAction.Rerun)
                {
                    await ClearFailedAsync(dag, run, dagFile, cancellationToken).ConfigureAwait(false);
                }

                toRun.Add(i);
            }
        }

        await ExecuteAsync(dag, outcomes, claims, toRun, cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    private async Task ExecuteAsync(DagDefinition dag, BackfillOutcome[] outcomes, ClaimedRun?[] claims, List<int> toRun, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, dag.MaxActiveRuns));
        var tasks = new List<Task>(toRun.Count);
        foreach (var i in toRun)
        {
            // Taken in order, so runs start oldest first.
            try
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    // A run that existed is claimed now; one another live process executes stays with it.
                    var claimed = claims[i] ?? await _executor.ClaimAsync(dag.Id, outcomes[i].RunId, CancellationToken.None).ConfigureAwait(false);
                    if (claimed is null)
                    {
                        outcomes[i] = outcomes[i] with { Action = BackfillAction.Kept, Note = "running elsewhere" };
                        return;
                    }

                    var result = await _executor.ExecuteAsync(dag, claimed, null, cancellationToken).ConfigureAwait(false);
                    outcomes[i] = outcomes[i] with { State = result.Run.State };
                }
                catch (ClaimLostException)
                {
                    outcomes[i] = outcomes[i] with { Note = "taken over by another process" };
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Failed and upstream-failed tasks go back to none and the run to queued, owned by this backfill.</summary>
    private async Task ClearFailedAsync(DagDefinition dag, RunRecord run, string dagFile, CancellationToken cancellationToken)
    {
        var snapshot = await _store.GetRunAsync(dag.Id, run.RunId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return;
        }

        var batch = new StateBatch();
        batch.Runs.Add(snapshot.Run with { State = RunState.Queued, EndDate = null, DagFile = dagFile });
        foreach (var t in snapshot.Tasks.Where(t => t.State is TaskState.Failed or TaskState.UpstreamFailed))
        {
            batch.TaskInstances.Add(t with { State = TaskState.None, EndDate = null, ExitCode = null, NextRetryAt = null, Reason = null });
        }

        await _store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
    }
}
