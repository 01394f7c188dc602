using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

internal sealed partial class RunExecutor
{
    private sealed partial class Loop
    {
        /// <summary>Marks reason for attempts cut short by an interruption; such tasks run again on resume.</summary>
        internal const string Interrupted = "interrupted";

        /// <summary>
        /// Brings a run stored by an earlier process (or just created) into a state this process can drive:
        /// attempts that were running belong to a process that is gone, so they fail as "process lost" and are
        /// retried by their policy; tasks that were only waiting for a slot are considered afresh.
        /// </summary>
        private void Recover()
        {
            var now = Now;
            var run = _run.Run;
            if (run.State != RunState.Running || run.StartDate is null || run.EndDate is not null)
            {
                _run.UpdateRun(run with { State = RunState.Running, StartDate = run.StartDate ?? now, EndDate = null });
            }

            var lost = new List<TaskInstanceRecord>();
            foreach (var inst in _run.Instances.Values.ToList())
            {
                switch (inst.State)
                {
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

            _coordinator = new RunCoordinator(_run.Dag, _run.Instances.ToDictionary(p => p.Key, p => p.Value.State, StringComparer.Ordinal));
            Apply(_coordinator.Start());

            foreach (var inst in lost)
            {
                if (inst.AttemptId is not null)
                {
                    _batch.AttemptsEnded.Add(new AttemptRecord(
                        inst.AttemptId, inst.DagId, inst.RunId, inst.TaskId, inst.TryNumber, TaskState.Failed, _x._options.Owner,
                        inst.StartDate ?? now, now, null, null, "process lost", null));
                }

                Fail(inst with { EndDate = now }, exitCode: null, "process lost", now);
            }

            PromoteDueRetries();
        }
    }
}
