using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

internal sealed partial class OperatorActions
{
    private static readonly IReadOnlyDictionary<string, string> NoOutputs = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Makes a change read-compute-write: the write holds only while the run is still at the version the change read
    /// (<see cref="StateBatch.ExpectedRun"/>), so what an executor wrote meanwhile is never overwritten; when it moved
    /// on, the change is made again from the run as it now is (a few times; the window is a read and a write).
    /// </summary>
    private static async Task<T> UntilUnchangedAsync<T>(Func<Task<T>> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await change().ConfigureAwait(false);
            }
            catch (RunChangedException) when (attempt < 10)
            {
            }
            catch (RunChangedException changed)
            {
                throw OperationException.Conflict($"run '{changed.RunId}' kept changing while the change was made", "try again");
            }
        }
    }

    /// <summary>A run with its task instances: by DAG and id, or the newest run with the id when <paramref name="dagId"/> is null.</summary>
    /// <exception cref="OperationException">No such run (not found).</exception>
    public async Task<RunSnapshot> GetRunAsync(string? dagId, string runId, CancellationToken cancellationToken) =>
        await store.GetRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false)
        ?? throw OperationException.NotFound($"no run '{runId}'{(dagId is null ? "" : $" of DAG '{dagId}'")}", "list runs with 'weft runs list'");

    /// <summary>
    /// Clears task instances so they run again: the tasks named (every task when none), with their downstream or
    /// upstream tasks when asked, then only the failed and upstream_failed ones when <see cref="ClearRequest.OnlyFailed"/>.
    /// A cleared instance goes back to <c>none</c> keeping its try number (the next attempt is try + 1, as in Airflow,
    /// so earlier attempts and their logs stay apart) with its full tries again; one that was running is stopped. The
    /// run then follows its tasks (see <see cref="Settle"/>). Instances not started yet need no clearing.
    /// </summary>
    /// <exception cref="OperationException">No such run or task (not found); its DAG does not load (conflict).</exception>
    public Task<ClearOutcome> ClearAsync(ClearRequest request, string? actor, CancellationToken cancellationToken) =>
        UntilUnchangedAsync(() => ClearOnceAsync(request, actor, cancellationToken));

    private async Task<ClearOutcome> ClearOnceAsync(ClearRequest request, string? actor, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(request.DagId, request.RunId, cancellationToken).ConfigureAwait(false);
        var byId = run.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        if (request.TaskIds.FirstOrDefault(id => !byId.ContainsKey(id)) is { } unknown)
        {
            throw UnknownTask(run, unknown);
        }

        var dag = await DagOfAsync(run.Run, cancellationToken).ConfigureAwait(false);
        var chosen = new HashSet<string>(request.TaskIds.Count == 0 ? byId.Keys : request.TaskIds, StringComparer.Ordinal);
        if (request.Downstream || request.Upstream)
        {
            var graph = DagGraph.Build(dag);
            foreach (var id in chosen.ToList())
            {
                // A task the DAG no longer has has no neighbours in it.
                if (graph.TryGetIndex(id, out var index))
                {
                    foreach (var related in (request.Downstream ? graph.Descendants(index) : []).Concat(request.Upstream ? graph.Ancestors(index) : []))
                    {
                        chosen.Add(graph.Id(related));
                    }
                }
            }
        }

        var clear = run.Tasks
            .Where(t => chosen.Contains(t.TaskId) && t.State is not (TaskState.None or TaskState.Scheduled))
            .Where(t => !request.OnlyFailed || t.State is TaskState.Failed or TaskState.UpstreamFailed)
            .ToList();
        if (request.DryRun || clear.Count == 0)
        {
            return new ClearOutcome(run, [.. clear.Select(t => t.TaskId)], request.DryRun);
        }

        var now = time.GetUtcNow();
        var definitions = dag.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var batch = new StateBatch();
        await EndRunningAttemptsAsync(run, clear, TaskState.Failed, "stopped: cleared by an operator", now, batch, cancellationToken).ConfigureAwait(false);
        var changed = clear.Select(t => t with
        {
            State = TaskState.None,
            MaxTries = t.TryNumber + (definitions.TryGetValue(t.TaskId, out var task) ? task.MaxTries : 1),
            ExitCode = null,
            StartDate = null,
            EndDate = null,
            NextRetryAt = null,
            AttemptId = null,
            Reason = null,
            LostCount = 0,
            Outputs = NoOutputs,
        }).ToList();
        var ids = clear.Select(t => t.TaskId).ToList();
        var after = await CommitAsync(run, dag, changed, batch, OperatorEvents.Cleared, ids.Count == 1 ? ids[0] : null,
            $"cleared {ids.Count} task{(ids.Count == 1 ? "" : "s")}: {Names(ids)}", actor, cancellationToken).ConfigureAwait(false);
        return new ClearOutcome(after, ids, DryRun: false);
    }

    /// <summary>
    /// Sets a task instance to success or failed by hand (a running one is stopped). Downstream tasks are not
    /// touched, as in Airflow; the run follows its tasks (see <see cref="Settle"/>).
    /// </summary>
    /// <exception cref="OperationException">Not success or failed (invalid); no such run or task (not found); its DAG does not load (conflict).</exception>
    public Task<MarkOutcome> MarkTaskAsync(string? dagId, string runId, string taskId, TaskState state, string? actor, CancellationToken cancellationToken)
    {
        if (state is not (TaskState.Success or TaskState.Failed))
        {
            throw OperationException.Invalid($"a task can be marked success or failed, not {state.ToName()}");
        }

        return UntilUnchangedAsync(() => MarkTaskOnceAsync(dagId, runId, taskId, state, actor, cancellationToken));
    }

    private async Task<MarkOutcome> MarkTaskOnceAsync(string? dagId, string runId, string taskId, TaskState state, string? actor, CancellationToken cancellationToken)
    {

        var run = await GetRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        var inst = run.Tasks.FirstOrDefault(t => t.TaskId == taskId) ?? throw UnknownTask(run, taskId);
        if (inst.State == state)
        {
            return new MarkOutcome(run, inst.State.ToName(), Changed: false);
        }

        var dag = await DagOfAsync(run.Run, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var batch = new StateBatch();
        var reason = $"marked {state.ToName()} by an operator";
        await EndRunningAttemptsAsync(run, [inst], state, reason, now, batch, cancellationToken).ConfigureAwait(false);
        var marked = inst with { State = state, StartDate = inst.StartDate ?? now, EndDate = now, NextRetryAt = null, Reason = reason };
        var after = await CommitAsync(run, dag, [marked], batch, OperatorEvents.TaskMarked, taskId,
            $"task marked {state.ToName()} (was {inst.State.ToName()})", actor, cancellationToken).ConfigureAwait(false);
        return new MarkOutcome(after, inst.State.ToName(), Changed: true);
    }

    /// <summary>
    /// Sets a run's state by hand (the API's PATCH). Success marks every unfinished task success; failed fails what
    /// was under way and skips what never started, as Airflow does; running attempts are stopped. Queued asks for the
    /// run to be executed again from its tasks' states; when none of them can run any more, the run stays finished
    /// with its state recomputed from its tasks, as after a mark.
    /// </summary>
    /// <exception cref="OperationException">A state other than success, failed or queued (invalid); no such run (not found).</exception>
    public Task<MarkOutcome> MarkRunAsync(string? dagId, string runId, RunState state, string? actor, CancellationToken cancellationToken)
    {
        if (state == RunState.Running)
        {
            throw OperationException.Invalid("a run can be marked success, failed or queued, not running");
        }

        return UntilUnchangedAsync(() => MarkRunOnceAsync(dagId, runId, state, actor, cancellationToken));
    }

    private async Task<MarkOutcome> MarkRunOnceAsync(string? dagId, string runId, RunState state, string? actor, CancellationToken cancellationToken)
    {

        var run = await GetRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var batch = new StateBatch();
        var message = $"run marked {state.ToName()} (was {run.Run.State.ToName()})";
        if (state == RunState.Queued)
        {
            var dag = await DagOfAsync(run.Run, cancellationToken).ConfigureAwait(false);
            var after = await CommitAsync(run, dag, [], batch, OperatorEvents.RunMarked, null, message, actor, cancellationToken, requeue: true).ConfigureAwait(false);
            return new MarkOutcome(after, run.Run.State.ToName(), Changed: true);
        }

        var open = run.Tasks.Where(t => !t.State.IsFinished()).ToList();
        await EndRunningAttemptsAsync(run, open, TaskState.Failed, $"stopped: run marked {state.ToName()}", now, batch, cancellationToken).ConfigureAwait(false);
        foreach (var t in open)
        {
            var to = state == RunState.Success ? TaskState.Success
                : t.State is TaskState.Running or TaskState.Queued or TaskState.UpForRetry ? TaskState.Failed : TaskState.Skipped;
            batch.TaskInstances.Add(t with { State = to, EndDate = now, NextRetryAt = null, Reason = $"run marked {state.ToName()}" });
        }

        var record = run.Run with { State = state, StartDate = run.Run.StartDate ?? now, EndDate = now };
        batch.Runs.Add(record);
        batch.Events.Add(Event(OperatorEvents.RunMarked, record.DagId, record.RunId, null, message, actor));
        batch.RunsPreempted.Add((record.DagId, record.RunId));
        batch.ExpectedRun = (run.Run.DagId, run.Run.RunId, run.Run.Version);
        await store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        return new MarkOutcome(await GetRunAsync(record.DagId, record.RunId, cancellationToken).ConfigureAwait(false), run.Run.State.ToName(), Changed: true);
    }

    /// <summary>
    /// Writes the changed task instances, the run as it follows from them, and the event in one batch that preempts
    /// whatever executor holds the run.
    /// </summary>
    private async Task<RunSnapshot> CommitAsync(
        RunSnapshot run, DagDefinition dag, IReadOnlyList<TaskInstanceRecord> changed, StateBatch batch, string kind, string? taskId, string message,
        string? actor, CancellationToken cancellationToken, bool requeue = false)
    {
        var byId = changed.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var tasks = run.Tasks.Select(t => byId.GetValueOrDefault(t.TaskId) ?? t).ToList();
        var (record, settled) = Settle(dag, run.Run, tasks, time.GetUtcNow(), requeue);
        foreach (var t in tasks)
        {
            if (settled.TryGetValue(t.TaskId, out var s))
            {
                batch.TaskInstances.Add(s);
            }
            else if (byId.ContainsKey(t.TaskId))
            {
                batch.TaskInstances.Add(t);
            }
        }

        if (record != run.Run)
        {
            batch.Runs.Add(record);
            message += $"; run {record.State.ToName()}";
        }

        batch.Events.Add(Event(kind, record.DagId, record.RunId, taskId, message, actor));
        batch.RunsPreempted.Add((record.DagId, record.RunId));
        batch.ExpectedRun = (run.Run.DagId, run.Run.RunId, run.Run.Version);
        await store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        return await GetRunAsync(record.DagId, record.RunId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The run's state as it follows from its tasks after an operator's change. When some task can still run (one
    /// not finished whose trigger rule does not settle it at once), the run is executed again: a running run stays
    /// running (its executor, preempted, claims it again), any other goes to <c>queued</c> for a dispatcher. When
    /// nothing can run any more, the run is finished with its state recomputed by the contract's rule (failed when a
    /// leaf is failed or upstream_failed, or a critical task failed; else success), and the tasks its trigger rules
    /// settle (skipped, upstream_failed) are returned to be written with it. So no run is left queued with nothing to do.
    /// </summary>
    /// <param name="requeue">The operator asked for the run to execute again (PATCH queued): a running run is queued too.</param>
    internal static (RunRecord Run, Dictionary<string, TaskInstanceRecord> Settled) Settle(
        DagDefinition dag, RunRecord run, IReadOnlyList<TaskInstanceRecord> tasks, DateTimeOffset now, bool requeue = false)
    {
        var settled = new Dictionary<string, TaskInstanceRecord>(StringComparer.Ordinal);
        var states = tasks.ToDictionary(t => t.TaskId, t => t.State, StringComparer.Ordinal);
        var coordinator = new RunCoordinator(dag, states);
        var transitions = coordinator.Start();
        if (coordinator.FinalState is not { } final)
        {
            // Something can run: the executor decides the rest, from the rows as they are.
            return run.State == RunState.Running && !requeue
                ? (run, settled)
                : (run with { State = RunState.Queued, StartDate = null, EndDate = null }, settled);
        }

        var byId = tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        foreach (var move in transitions)
        {
            if (byId.TryGetValue(move.TaskId, out var inst))
            {
                settled[move.TaskId] = inst with { State = move.To, StartDate = inst.StartDate ?? now, EndDate = now, Reason = move.Reason };
            }
        }

        var finished = run.State == final && run.EndDate is not null
            ? run
            : run with { State = final, StartDate = run.StartDate ?? now, EndDate = now };
        return (finished, settled);
    }

    /// <summary>The definition the run executes (<see cref="RunDefinitions"/>); a run whose DAG does not load cannot be changed safely.</summary>
    private async Task<DagDefinition> DagOfAsync(RunRecord run, CancellationToken cancellationToken) =>
        await RunDefinitions.ResolveAsync(store, run, registered: null, r => Parse(r).Dag, cancellationToken).ConfigureAwait(false)
        ?? throw OperationException.Conflict(
            $"DAG '{run.DagId}' of run '{run.RunId}' is not registered or does not load", "fix the DAG file; 'weft validate' lists its problems");

    /// <summary>Ends the attempt rows of the instances that are running, with the state and reason given.</summary>
    private async Task EndRunningAttemptsAsync(
        RunSnapshot run, IReadOnlyList<TaskInstanceRecord> instances, TaskState state, string reason, DateTimeOffset now, StateBatch batch, CancellationToken cancellationToken)
    {
        var ids = instances.Where(t => t.State is TaskState.Running or TaskState.Queued && t.AttemptId is not null)
            .Select(t => t.AttemptId!).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return;
        }

        foreach (var attempt in await store.GetAttemptsAsync(run.Run.DagId, run.Run.RunId, null, cancellationToken).ConfigureAwait(false))
        {
            if (ids.Contains(attempt.AttemptId) && attempt.EndDate is null)
            {
                batch.AttemptsEnded.Add(attempt with { State = state, EndDate = now, Reason = reason });
            }
        }
    }

    private static OperationException UnknownTask(RunSnapshot run, string taskId) =>
        OperationException.NotFound(
            $"run '{run.Run.RunId}' of DAG '{run.Run.DagId}' has no task '{taskId}'",
            $"its tasks: {string.Join(", ", run.Tasks.Take(10).Select(t => t.TaskId))}{(run.Tasks.Count > 10 ? ", …" : "")}");

    // Events are read by people; a run of thousands of tasks gets a count, not a wall of ids.
    private static string Names(IReadOnlyList<string> ids) =>
        ids.Count <= 20 ? string.Join(", ", ids) : string.Join(", ", ids.Take(20)) + $" and {ids.Count - 20} more";
}
