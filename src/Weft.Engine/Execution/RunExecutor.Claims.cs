using Microsoft.Extensions.Logging;
using Weft.Core.Runs;
using Weft.Engine.Ownership;
using Weft.Engine.Runners;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

internal sealed partial class RunExecutor
{
    /// <summary>Writing under the run's claim: retries, self-fencing, and taking the run up again when it changed elsewhere.</summary>
    private sealed partial class Loop
    {
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

            await StopAttemptsAsync().ConfigureAwait(false);
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
