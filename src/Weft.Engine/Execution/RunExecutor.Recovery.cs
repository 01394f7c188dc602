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

        /// <summary>
        /// Writes the pending changes under the claim. A database that is locked, unreachable or full is retried with
        /// backoff (health says degraded meanwhile) until it answers or <paramref name="until"/> is cancelled, which
        /// throws <see cref="OwnerFencedException"/>; a refused claim stops the run here at once.
        /// </summary>
        private async Task CommitAsync(CancellationToken until)
        {
            _run.Flush(_batch);
            Volatile.Write(ref _flushPending, 0);
            while (_processes.TryDequeue(out var process))
            {
                _batch.AttemptProcesses.Add(process);
            }

            if (_batch.IsEmpty)
            {
                return;
            }

            var delay = TimeSpan.FromMilliseconds(50);
            while (true)
            {
                try
                {
                    // Not cancellable: a half-written batch is not possible (one transaction), but giving up on
                    // writing what already happened would lose it.
                    await _x._store.CommitAsync(_batch, CancellationToken.None).ConfigureAwait(false);
                    _x._lease.Health.Succeeded();
                    _batch.Clear();
                    return;
                }
                catch (ClaimLostException)
                {
                    // Left to the caller: the main loop claims the run again and goes on (TryRebaseAsync); an
                    // interruption or a self-fence just stops here.
                    throw;
                }
                catch (Exception ex) when (StoreHealth.IsTransient(ex))
                {
                    _x._lease.Health.Failed(ex);
                    _x._logger.LogWarning("Writing run {RunId} of DAG {DagId} failed, trying again in {Delay} ms: {Message}", _claim.RunId, _claim.DagId, (int)delay.TotalMilliseconds, ex.Message);
                }

                try
                {
                    await Task.Delay(delay, _x._time, until).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw new OwnerFencedException(_claim);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }

        /// <summary>Commits, or self-fences when the lease is lost before the database takes the changes.</summary>
        private async Task CommitOrFenceAsync(CancellationToken fenced, CancellationToken cancellationToken)
        {
            try
            {
                await CommitAsync(fenced).ConfigureAwait(false);
                return;
            }
            catch (OwnerFencedException)
            {
                await SelfFenceAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ClaimLostException)
            {
                // Handled below, outside the catch: claiming again awaits.
            }

            if (!await TryRebaseAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ClaimLostException(_claim);
            }

            throw new RebasedException();
        }

        /// <summary>
        /// This process could not renew its lease in time, so another may take the run over: its attempts here are
        /// stopped before the lease ends (they run again without using a retry, as interrupted ones do). What already
        /// happened (attempts that ended while the database was away) is then written under the same claim as soon as
        /// the database answers: if no other owner took the run meanwhile, nothing runs twice. The claim is released
        /// and <see cref="OwnerFencedException"/> thrown; a service takes the run up again once its lease is back.
        /// </summary>
        private async Task SelfFenceAsync(CancellationToken cancellationToken)
        {
            _x._logger.LogWarning("Stopping the tasks of run {RunId} of DAG {DagId}: this process could not renew its lease", _claim.RunId, _claim.DagId);

            // Attempts that ended while the database was away keep their results: they are what must not run twice.
            while (_finished.Reader.TryRead(out var ended))
            {
                Complete(ended);
            }

            DetachWorkersAttempts();
            foreach (var notStarted in _toLaunch)
            {
                _finished.Writer.TryWrite(new AttemptFinished(notStarted, TaskResult.Failed(Interrupted), Now));
            }

            _toLaunch.Clear();
            foreach (var attempt in _running.Values)
            {
                attempt.StopReason = Interrupted;
                attempt.Stop.Cancel();
            }

            using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
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

            _batch.ReleaseClaim = true;
            using var until = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (!_x._options.WaitForDatabase)
            {
                until.CancelAfter(TimeSpan.FromSeconds(10));
            }

            await CommitAsync(until.Token).ConfigureAwait(false);
            throw new OwnerFencedException(_claim);
        }

        /// <summary>
        /// The store refused a write: the run's claim changed, because an operator changed the run (clear, mark) or
        /// another owner took it. Claims the run again as it now is. Attempts whose task the change left alone go on
        /// running, and the ends of attempts already seen here but not yet written are kept, so nothing runs twice;
        /// attempts whose task was changed are stopped, and what is ready in the new state starts. False when the run
        /// cannot be claimed again (it finished, or a live owner has it): everything here is stopped.
        /// </summary>
        private async Task<bool> TryRebaseAsync(CancellationToken cancellationToken)
        {
            var again = await _x._store.ClaimRunAsync(_claim.DagId, _claim.RunId, _x._lease.OwnerId, Now, CancellationToken.None).ConfigureAwait(false);
            if (again is null)
            {
                foreach (var (id, running) in _running)
                {
                    // A worker's attempt is not stopped: whoever holds the run now awaits it (see ReattachAsync).
                    if (running.Queue is null)
                    {
                        _x._options.Preempted[id] = 0;
                    }
                }

                await AbandonAsync(ChangedElsewhere).ConfigureAwait(false);
                return false;
            }

            var fresh = again.Snapshot.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
            bool StillOurs(string taskId, string? attemptId) =>
                fresh.TryGetValue(taskId, out var row) && row.State == TaskState.Running && row.AttemptId == attemptId;

            // Handed out but never started: the new state decides whether they start.
            foreach (var notStarted in _toLaunch)
            {
                _running.Remove(notStarted.AttemptId);
                var held = _run.Tasks[notStarted.TaskId];
                _x._slots.Release(_slotOwner, held.Pool, held.PoolSlots);
                notStarted.Dispose();
            }

            _toLaunch.Clear();
            var started = _batch.AttemptsStarted.Select(a => a.AttemptId).ToHashSet(StringComparer.Ordinal);
            foreach (var attempt in _running.Values.Where(a => !StillOurs(a.TaskId, a.AttemptId)))
            {
                attempt.StopReason = ChangedElsewhere;
                attempt.Stop.Cancel();
            }

            var kept = _run.Instances.Values.Where(i => i.State != TaskState.Running && StillOurs(i.TaskId, i.AttemptId)).ToList();
            var ended = _batch.AttemptsEnded.Where(a => !started.Contains(a.AttemptId)).ToList();
            var events = _batch.Events.ToList();
            var processes = _batch.AttemptProcesses.ToList();
            _batch.Clear();
            _batch.AttemptsEnded.AddRange(ended);
            _batch.Events.AddRange(events);
            _batch.AttemptProcesses.AddRange(processes);
            _claim = again.Claim;
            _batch.Claim = _claim;
            _run = new LiveRun(_dag, again.Snapshot);
            foreach (var inst in kept)
            {
                _run.Update(inst);
            }

            _ready.Clear();
            _retries.Clear();
            _x._logger.LogInformation("Run {RunId} of DAG {DagId} was changed elsewhere; going on from its new state", _claim.RunId, _claim.DagId);
            await AdoptAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>Stops every running attempt and waits (a bounded time) for their processes to end; writes nothing.</summary>
        private async Task AbandonAsync(string reason)
        {
            // The run's new owner awaits the workers' attempts itself.
            DetachWorkersAttempts();
            foreach (var notStarted in _toLaunch)
            {
                _running.Remove(notStarted.AttemptId);
                var held = _run.Tasks[notStarted.TaskId];
                _x._slots.Release(_slotOwner, held.Pool, held.PoolSlots);
                notStarted.Dispose();
            }

            _toLaunch.Clear();
            foreach (var attempt in _running.Values)
            {
                attempt.StopReason = reason;
                attempt.Stop.Cancel();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (_running.Count > 0)
                {
                    var done = await _finished.Reader.ReadAsync(patience.Token).ConfigureAwait(false);
                    _running.Remove(done.Attempt.AttemptId);
                    var task = _run.Tasks[done.Attempt.TaskId];
                    _x._slots.Release(_slotOwner, task.Pool, task.PoolSlots);
                    done.Attempt.Dispose();
                }
            }
            catch (OperationCanceledException)
            {
                _x._logger.LogWarning("{Count} attempt(s) of run {RunId} did not stop within 10 s", _running.Count, _claim.RunId);
            }
        }
    }
}
