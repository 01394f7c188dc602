using Microsoft.Extensions.Logging;
using Weft.Core.Runs;
using Weft.Engine.Ownership;
using Weft.Engine.Runners;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

internal sealed partial class RunExecutor
{
    /// <summary>Most times a task's attempt may be lost (its owner died) before the task fails.</summary>
    internal const int MaxLost = 3;

    private sealed partial class Loop
    {
        /// <summary>Marks reason for attempts cut short by an interruption; such tasks run again on resume.</summary>
        internal const string Interrupted = "interrupted";

        /// <summary>Reason of attempts stopped because their task was changed elsewhere (cleared, marked) while they ran.</summary>
        internal const string ChangedElsewhere = "stopped: the task was changed while it ran";

        /// <summary>
        /// Brings the claimed run into a state this process can drive. Attempts recorded as running belong to an owner
        /// that is gone: they are lost, not failed. Their leftover processes on this machine are killed, and the task
        /// goes back to the queue without using a retry, at most <see cref="MaxLost"/> times. Attempts this process
        /// stopped itself (interrupted, or preempted by an operator action) run again the same way but do not count as
        /// lost. Tasks the DAG gained since the run was created get their task instances.
        /// </summary>
        private async Task AdoptAsync(CancellationToken cancellationToken)
        {
            var now = Now;
            var run = _run.Run;
            if (run.State != RunState.Running || run.StartDate is null || run.EndDate is not null)
            {
                _run.UpdateRun(run with { State = RunState.Running, StartDate = run.StartDate ?? now, EndDate = null });
            }

            foreach (var task in _dag.Tasks)
            {
                if (!_run.Instances.ContainsKey(task.Id))
                {
                    _run.Add(RunFactory.NewTaskInstance(task, run.RunId, _dag.Id));
                }
            }

            var lost = new List<TaskInstanceRecord>();
            foreach (var inst in _run.Instances.Values.ToList())
            {
                switch (inst.State)
                {
                    case TaskState.Running when inst.AttemptId is not null && _running.ContainsKey(inst.AttemptId):
                        // Still running here, under the run's new claim (see TryRebaseAsync).
                        break;
                    case TaskState.Running or TaskState.Queued when inst.AttemptId is not null && _x._options.Preempted.TryRemove(inst.AttemptId, out _):
                        _batch.AttemptsEnded.Add(EndedAttempt(inst, "stopped: the run was changed while it ran", now));
                        _run.Update(inst with { State = TaskState.None, Reason = null, EndDate = now, MaxTries = inst.MaxTries + 1 });
                        break;
                    case TaskState.Running or TaskState.Queued:
                        lost.Add(inst);
                        break;
                    case TaskState.Scheduled:
                        _run.Update(inst with { State = TaskState.None });
                        break;
                    case TaskState.Failed when inst.Reason == Interrupted:
                        // The interrupted try was not the task's fault: it does not use up one of its retries.
                        _run.Update(inst with { State = TaskState.None, Reason = null, MaxTries = inst.MaxTries + 1 });
                        break;
                    case TaskState.UpForRetry:
                        _retries.Enqueue(inst.TaskId, inst.NextRetryAt ?? now);
                        break;
                }
            }

            if (lost.Count > 0)
            {
                await ReattachAsync(lost, now, cancellationToken).ConfigureAwait(false);
            }

            var failedLost = new List<string>();
            if (lost.Count > 0)
            {
                await KillOrphansAsync(lost, cancellationToken).ConfigureAwait(false);
                foreach (var inst in lost)
                {
                    var count = inst.LostCount + 1;
                    if (inst.AttemptId is not null)
                    {
                        _batch.AttemptsEnded.Add(EndedAttempt(inst, $"lost: its owner stopped before it ended ({count} of {MaxLost})", now));
                    }

                    if (count >= MaxLost)
                    {
                        _run.Update(inst with { State = TaskState.Failed, LostCount = count, EndDate = now, NextRetryAt = null, Reason = $"lost {MaxLost} times" });
                        failedLost.Add(inst.TaskId);
                    }
                    else
                    {
                        // Back to the queue; the lost try does not use up one of the task's retries.
                        _run.Update(inst with { State = TaskState.None, LostCount = count, MaxTries = inst.MaxTries + 1, EndDate = now, Reason = null });
                    }
                }
            }

            _coordinator = new RunCoordinator(_run.Dag, _run.Instances.ToDictionary(p => p.Key, p => p.Value.State, StringComparer.Ordinal));
            Apply(_coordinator.Start());
            foreach (var id in failedLost)
            {
                _observer.TaskFinished(_run.Instances[id]);
                if (_run.Tasks[id].Critical && _criticalFailure is null)
                {
                    FailFast(id);
                }
            }

            PromoteDueRetries();
        }

        /// <summary>
        /// Attempts recorded as running that were handed to workers are not lost while a worker may still end them: one
        /// still queued, done, or claimed by a worker whose lease holds is awaited again here (the previous owner of the
        /// run died, or let it go). Only those whose worker's lease ran out stay in <paramref name="lost"/>; their queue
        /// entries are removed, so a late result from that worker is refused.
        /// </summary>
        private async Task ReattachAsync(List<TaskInstanceRecord> lost, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var ids = lost.Where(i => i.AttemptId is not null).Select(i => i.AttemptId!).ToList();
            if (ids.Count == 0 || _x._options.Remote is null)
            {
                return;
            }

            var entries = await _x._store.GetQueuedAsync(ids, cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                var inst = lost.First(i => i.AttemptId == entry.Attempt.AttemptId);
                var live = entry.State is QueueState.Queued or QueueState.Done
                    || entry.State == QueueState.Claimed && entry.WorkerLeaseExpiresAt is { } until && until > now;
                if (!live)
                {
                    _batch.QueueEntriesDone.Add(entry.Attempt.AttemptId);
                    continue;
                }

                lost.Remove(inst);
                var task = _run.Tasks[inst.TaskId];
                var timeout = task.Timeout is { } t ? new CancellationTokenSource(t, _x._time) : null;
                var attempt = new RunningAttempt(task.Id, entry.Attempt.AttemptId, new CancellationTokenSource(), timeout, task.Timeout)
                {
                    TryNumber = inst.TryNumber, StartedAt = inst.StartDate ?? now, Queue = entry.Attempt.Queue,
                };
                // Its slot, as when it started; when the slots are taken meanwhile it runs anyway (it is running already).
                _ = _x._slots.TryAcquire(_slotOwner, task.Pool, task.PoolSlots, task.Priority);
                _running[attempt.AttemptId] = attempt;
                _toLaunch.Add(attempt);
                _x._logger.LogInformation("Attempt {AttemptId} ({TaskId} of run {RunId}) is still with a worker; awaiting it again", attempt.AttemptId, task.Id, inst.RunId);
            }

            _x._slots.ClearWaits(_slotOwner);
        }

        /// <summary>
        /// Stops awaiting the attempts handed to workers without stopping them: they stay recorded as running, and whoever
        /// claims the run next awaits them again (see <see cref="ReattachAsync"/>).
        /// </summary>
        private void DetachWorkersAttempts()
        {
            foreach (var attempt in _running.Values.Where(a => a.Queue is not null).ToList())
            {
                _running.Remove(attempt.AttemptId);
                _toLaunch.Remove(attempt);
                var task = _run.Tasks[attempt.TaskId];
                _x._slots.Release(_slotOwner, task.Pool, task.PoolSlots);
                attempt.Detach.Cancel();
            }
        }

        private AttemptRecord EndedAttempt(TaskInstanceRecord inst, string reason, DateTimeOffset now) =>
            new(inst.AttemptId!, inst.DagId, inst.RunId, inst.TaskId, inst.TryNumber, TaskState.Failed, _claim.Owner,
                inst.StartDate ?? now, now, null, null, reason, null);

        /// <summary>Kills, on this machine, whatever the lost attempts left running, before any of them runs again.</summary>
        private async Task KillOrphansAsync(List<TaskInstanceRecord> lost, CancellationToken cancellationToken)
        {
            var ids = lost.Where(i => i.AttemptId is not null).Select(i => i.AttemptId!).ToHashSet(StringComparer.Ordinal);
            if (ids.Count == 0)
            {
                return;
            }

            var attempts = await _x._store.GetAttemptsAsync(_run.Run.DagId, _run.Run.RunId, null, cancellationToken).ConfigureAwait(false);
            foreach (var attempt in attempts.Where(a => ids.Contains(a.AttemptId)))
            {
                await OrphanReaper.KillAsync(attempt, _x._logger, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
