using Weft.Core.Definitions;
using Weft.Core.Runs;
using Weft.Core.Runs.Retry;
using Weft.Engine.Runners;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

internal sealed partial class RunExecutor
{
    private sealed partial class Loop
    {
        /// <summary>Records an attempt's end and decides what follows: success, skip, retry or failure.</summary>
        private void Complete(AttemptFinished done)
        {
            var attempt = done.Attempt;
            _running.Remove(attempt.AttemptId);
            var task = _run.Tasks[attempt.TaskId];
            _x._slots.Release(_slotOwner, task.Pool, task.PoolSlots);
            var inst = _run.Instances[attempt.TaskId];
            if (attempt.Queue is not null && !done.Result.MayHaveLeftovers)
            {
                // Its end is recorded here: the queue entry has served its purpose. A lost one stays until a worker on its
                // process's machine killed what it left (see QueueWorker).
                _batch.QueueEntriesDone.Add(attempt.AttemptId);
            }

            if (attempt.StopReason == ChangedElsewhere)
            {
                // The task's row is the operator's now: only the attempt's own row records how it ended.
                _batch.AttemptsEnded.Add(new AttemptRecord(
                    attempt.AttemptId, inst.DagId, inst.RunId, inst.TaskId, attempt.TryNumber, TaskState.Failed, _claim.Owner,
                    attempt.StartedAt, done.EndedAt, null, done.Result.ExitCode, ChangedElsewhere, null));
                attempt.Dispose();
                return;
            }

            var result = done.Result;
            if (attempt.StopReason == Interrupted && result.Outcome is TaskOutcome.Success or TaskOutcome.Skipped)
            {
                // It ended on its own before the stop reached it: its work is done and must not run again.
                attempt.StopReason = null;
            }

            if (result.Outcome == TaskOutcome.Lost && attempt.StopReason is null && !attempt.TimedOut)
            {
                attempt.Dispose();
                LoseAttempt(inst, attempt, result.Reason ?? "its worker stopped", done.EndedAt, result.CountsAsLost);
                return;
            }

            var reason = attempt.StopReason
                ?? (attempt.TimedOut ? $"timed out after {Duration.Format(attempt.TimeoutAfter!.Value)}" : result.Reason);
            attempt.Dispose();

            var attemptState = result.Outcome switch
            {
                TaskOutcome.Success when attempt.StopReason is null => TaskState.Success,
                TaskOutcome.Skipped when attempt.StopReason is null => TaskState.Skipped,
                _ => TaskState.Failed,
            };
            // A worker's attempt started when the worker began it, not when it was queued.
            var startedAt = result.RanAt?.Started ?? inst.StartDate ?? done.EndedAt;
            _batch.AttemptsEnded.Add(new AttemptRecord(
                attempt.AttemptId, inst.DagId, inst.RunId, inst.TaskId, inst.TryNumber, attemptState, _claim.Owner,
                startedAt, done.EndedAt, null, result.ExitCode, reason, null));

            var ended = inst with { StartDate = startedAt, EndDate = done.EndedAt, ExitCode = result.ExitCode, Reason = reason, Outputs = result.Outputs.Count > 0 ? result.Outputs : inst.Outputs };
            if (attempt.StopReason == Interrupted)
            {
                // Not the task's fault and not final: recorded so that resume runs it again; nothing cascades.
                _run.Update(ended with { State = TaskState.Failed });
                return;
            }

            switch (attemptState)
            {
                case TaskState.Success:
                    Final(ended with { Reason = null }, TaskState.Success);
                    break;
                case TaskState.Skipped:
                    Final(ended, TaskState.Skipped);
                    break;
                default:
                    if (attempt.StopReason is not null)
                    {
                        Final(ended, TaskState.Failed);
                    }
                    else
                    {
                        Fail(ended, result.ExitCode, reason ?? "failed", done.EndedAt);
                    }

                    break;
            }

            _hooks.Queue(task, _run.Run, _run.Instances[attempt.TaskId]);
        }

        /// <summary>
        /// A worker's attempt whose worker died: not the task's fault, so the task goes back to the queue without using a
        /// retry, at most <see cref="MaxLost"/> times (then it fails as <c>lost 3 times</c>), as on a claim (see AdoptAsync).
        /// </summary>
        private void LoseAttempt(TaskInstanceRecord inst, RunningAttempt attempt, string why, DateTimeOffset now, bool counts)
        {
            var count = inst.LostCount + (counts ? 1 : 0);
            _batch.AttemptsEnded.Add(new AttemptRecord(
                attempt.AttemptId, inst.DagId, inst.RunId, inst.TaskId, inst.TryNumber, TaskState.Failed, _claim.Owner,
                inst.StartDate ?? now, now, null, null, counts ? $"lost: {why} ({count} of {MaxLost})" : $"interrupted: {why}", null));
            if (count >= MaxLost)
            {
                Final(inst with { LostCount = count, EndDate = now, Reason = $"lost {MaxLost} times" }, TaskState.Failed);
                if (_run.Tasks[inst.TaskId].Critical && _criticalFailure is null)
                {
                    FailFast(inst.TaskId);
                }

                return;
            }

            if (_criticalFailure is not null)
            {
                Final(inst with { LostCount = count, EndDate = now, Reason = $"lost: {why}" }, TaskState.Failed);
                return;
            }

            // Back to the queue at once, as a retry without delay that does not count as one.
            _run.Update(inst with { State = TaskState.Scheduled, LostCount = count, MaxTries = inst.MaxTries + 1, EndDate = now, Reason = null });
            _coordinator.MarkUpForRetry(inst.TaskId);
            Enqueue(inst.TaskId);
        }

        /// <summary>A failed attempt: retried later if its policy allows, else the task fails.</summary>
        private void Fail(TaskInstanceRecord inst, int? exitCode, string reason, DateTimeOffset now)
        {
            var task = _run.Tasks[inst.TaskId];
            // A cleared task keeps its try count but gets its full retries again: 'tasks clear' raises the stored
            // max_tries, so the policy counts only the tries since then.
            var triesSinceClear = Math.Max(1, inst.TryNumber - Math.Max(0, inst.MaxTries - task.MaxTries));
            var decision = RetryPolicy.Decide(task, triesSinceClear, exitCode, _x._jitter());
            if (decision.ShouldRetry && _criticalFailure is null)
            {
                var due = now + decision.Delay;
                _run.Update(inst with { State = TaskState.UpForRetry, NextRetryAt = due, Reason = reason });
                _coordinator.MarkUpForRetry(inst.TaskId);
                _retries.Enqueue(inst.TaskId, due);
                _observer.TaskFinished(_run.Instances[inst.TaskId]);
                return;
            }

            Final(inst with { Reason = reason }, TaskState.Failed);
            if (task.Critical && _criticalFailure is null)
            {
                FailFast(task.Id);
            }
        }

        /// <summary>A task reached a final state: record it and let its downstream tasks be decided.</summary>
        private void Final(TaskInstanceRecord inst, TaskState state)
        {
            var final = inst with { State = state, NextRetryAt = null };
            _run.Update(final);
            _observer.TaskFinished(final);
            Apply(_coordinator.Finish(inst.TaskId, state));
        }

        /// <summary>Applies the coordinator's decisions: ready tasks join the queue, others end skipped or upstream_failed.</summary>
        private void Apply(IReadOnlyList<TaskTransition> transitions)
        {
            var now = Now;
            foreach (var t in transitions)
            {
                var inst = _run.Instances[t.TaskId];
                switch (t.To)
                {
                    case TaskState.Scheduled:
                        _run.Update(inst with { State = TaskState.Scheduled });
                        Enqueue(t.TaskId);
                        break;
                    case TaskState.Skipped or TaskState.UpstreamFailed:
                        var ended = inst with { State = t.To, Reason = t.Reason, EndDate = now, NextRetryAt = null };
                        _run.Update(ended);
                        _observer.TaskFinished(ended);
                        break;
                    default:
                        _run.Update(inst with { State = t.To, Reason = t.Reason });
                        break;
                }
            }
        }

        /// <summary>A critical task failed: nothing else starts, running attempts are stopped, the run fails.</summary>
        private void FailFast(string criticalTaskId)
        {
            _criticalFailure = criticalTaskId;
            _ready.Clear();
            _retries.Clear();
            Apply(_coordinator.FailFast(criticalTaskId));
            foreach (var attempt in _running.Values)
            {
                attempt.StopReason = $"stopped: critical task '{criticalTaskId}' failed";
                attempt.Stop.Cancel();
            }
        }

        /// <summary>Retries whose delay has passed become ready again.</summary>
        private void PromoteDueRetries()
        {
            var now = Now;
            while (_retries.TryPeek(out var id, out var due) && due <= now)
            {
                _retries.Dequeue();
                _run.Update(_run.Instances[id] with { State = TaskState.Scheduled });
                Enqueue(id);
            }
        }

        /// <summary>Decides the run's final state.</summary>
        private void Finish()
        {
            var state = _criticalFailure is not null ? RunState.Failed : _coordinator.FinalState ?? RunState.Failed;
            _run.UpdateRun(_run.Run with { State = state, EndDate = Now });
        }

        /// <summary>Stops every running attempt and records them as interrupted; the claim is released and the run stays resumable.</summary>
        private async Task InterruptAsync(CancellationToken fenced)
        {
            // Attempts that did not stop in time stay recorded as running; resume treats them as lost.
            await StopAttemptsAsync().ConfigureAwait(false);
            _batch.ReleaseClaim = true;
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(fenced);
            bounded.CancelAfter(TimeSpan.FromSeconds(10));
            await CommitAsync(bounded.Token).ConfigureAwait(false);
        }

        /// <summary>
        /// Stops every attempt running here as interrupted (workers' attempts go on: whoever claims the run next
        /// awaits them again) and records their ends, waiting at most 10 s for their processes.
        /// </summary>
        private async Task StopAttemptsAsync()
        {
            DetachWorkersAttempts();
            foreach (var notStarted in _toLaunch)
            {
                // Committed as running but never handed to a runner: it ends interrupted like the others.
                _finished.Writer.TryWrite(new AttemptFinished(notStarted, TaskResult.Failed(Interrupted), Now));
            }

            _toLaunch.Clear();
            foreach (var attempt in _running.Values)
            {
                attempt.StopReason = Interrupted;
                attempt.Stop.Cancel();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (_running.Count > 0)
                {
                    Complete(await _finished.Reader.ReadAsync(patience.Token).ConfigureAwait(false));
                }
            }
            catch (OperationCanceledException)
            {
                // Left recorded as running: whoever claims the run next kills what is left and runs them again.
            }
        }
    }
}
