using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Logs;
using Weft.Engine.Runners;
using Weft.Engine.Secrets;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

internal sealed partial class RunExecutor
{
    private sealed partial class Loop
    {
        /// <summary>Starts ready tasks while slots allow, highest priority first. No-op tasks finish on the spot.</summary>
        private void Pump()
        {
            List<string>? blocked = null;
            _x._slots.ClearWaits(_slotOwner);
            while (_running.Count < _parallelism && _ready.TryDequeue(out var id, out _))
            {
                var task = _run.Tasks[id];
                var poolSize = _x._slots.PoolSize(task.Pool);
                if (task.PoolSlots > poolSize)
                {
                    var inst = _run.Instances[id];
                    Final(inst with { EndDate = Now, Reason = $"needs {task.PoolSlots} slots but pool '{task.Pool}' has {poolSize}" }, TaskState.Failed);
                    continue;
                }

                // A no-op finishes on the spot and holds no slot (unless a worker takes it).
                var grant = task.Type == TaskType.Noop && QueueOf(task) is null ? SlotGrant.Granted : _x._slots.TryAcquire(_slotOwner, task.Pool, task.PoolSlots, task.Priority);
                if (grant != SlotGrant.Granted)
                {
                    (blocked ??= []).Add(id);
                    if (grant == SlotGrant.GlobalBusy)
                    {
                        // No task can start until a slot is released; the allocator wakes the loop then.
                        break;
                    }

                    continue;
                }

                Start(task);
            }

            if (blocked is not null)
            {
                foreach (var id in blocked)
                {
                    Enqueue(id);
                }
            }
        }

        /// <summary>Signalled by the allocator when slots this run waits for come free.</summary>
        private readonly AsyncSignal _slotOwner = new();

        /// <summary>Gives back the slots of attempts still held when the loop ends.</summary>
        public void ReleaseSlots() => _x._slots.ReleaseAll(_slotOwner);

        private void Enqueue(string taskId)
        {
            var task = _run.Tasks[taskId];
            _ready.Enqueue(taskId, (-task.Priority, _run.Order[taskId]));
        }

        private void Start(TaskDefinition task)
        {
            var now = Now;
            var inst = _run.Instances[task.Id];
            var attemptId = Guid.NewGuid().ToString("N");
            var tryNumber = inst.TryNumber + 1;
            var running = inst with
            {
                State = TaskState.Running, TryNumber = tryNumber, StartDate = now, EndDate = null, ExitCode = null,
                NextRetryAt = null, AttemptId = attemptId, Reason = null,
            };
            _coordinator.MarkRunning(task.Id);

            var queue = QueueOf(task);
            if (task.Type == TaskType.Noop && queue is null)
            {
                // Nothing to run: the attempt starts and ends in the same batch.
                _batch.AttemptsStarted.Add(new AttemptRecord(attemptId, inst.DagId, inst.RunId, task.Id, tryNumber, TaskState.Success, _claim.Owner, now, now, null, 0, null, null));
                Final(running with { ExitCode = null, EndDate = now }, TaskState.Success);
                return;
            }

            // A worker's attempt is queued in the same fenced batch that records it as running; its log is the
            // worker's, shipped to the database, so no path of this machine is recorded for it.
            var logPath = queue is null ? TaskLogPaths.For(_x._options.Home, inst.DagId, inst.RunId, task.Id, tryNumber) : null;
            _batch.AttemptsStarted.Add(new AttemptRecord(attemptId, inst.DagId, inst.RunId, task.Id, tryNumber, TaskState.Running, _claim.Owner, now, null, null, null, null, logPath));
            if (queue is not null)
            {
                _batch.AttemptsQueued.Add(new QueuedAttempt(attemptId, inst.DagId, inst.RunId, task.Id, tryNumber, queue, now) { RunEpoch = _claim.Epoch });
            }

            _run.Update(running);
            var timeout = task.Timeout is { } t ? new CancellationTokenSource(t, _x._time) : null;
            var attempt = new RunningAttempt(task.Id, attemptId, new CancellationTokenSource(), timeout, task.Timeout) { TryNumber = tryNumber, StartedAt = now, Queue = queue };
            _running[attemptId] = attempt;
            _toLaunch.Add(attempt);
            _observer.TaskStarted(running);
        }

        /// <summary>The queue of the workers the task's attempts go to, or null when they run (or end) here.</summary>
        private string? QueueOf(TaskDefinition task) => _x._options.Remote is null ? null : _x._options.QueueFor(_dag, task);

        /// <summary>Hands the attempts committed as running to their runners.</summary>
        private void Launch()
        {
            foreach (var attempt in _toLaunch)
            {
                if (attempt.Queue is not null)
                {
                    _ = Task.Run(() => AwaitWorkerAsync(attempt));
                    continue;
                }

                var task = _run.Tasks[attempt.TaskId];
                var inst = _run.Instances[attempt.TaskId];
                var masker = _x._options.Masker();
                var file = new FileTaskLog(TaskLogPaths.For(_x._options.Home, inst.DagId, inst.RunId, task.Id, inst.TryNumber), null,
                    // An attempt whose log cannot be written is stopped and fails with the reason (retries apply).
                    _ => attempt.Stop.Cancel());
                var context = new TaskExecutionContext
                {
                    Dag = _run.Dag,
                    Task = task,
                    RunId = inst.RunId,
                    Attempt = inst.TryNumber,
                    AttemptId = attempt.AttemptId,
                    ProcessStarted = identity => ProcessStarted(attempt.AttemptId, identity),
                    LogicalDate = _run.Run.LogicalDate,
                    DataIntervalStart = _run.Run.DataIntervalStart,
                    DataIntervalEnd = _run.Run.DataIntervalEnd,
                    Params = _params ??= RunFactory.EffectiveParams(_run.Dag, RunFactory.ParseConf(_run.Run.ConfJson)),
                    Outputs = _run.Outputs,
                    States = _run.States,
                    Secrets = _x._options.Secrets,
                    TmpDir = TmpDir(),
                    TasksDir = _x._options.TasksDir,
                    Log = MaskingTaskLog.Wrap(file, masker),
                };
                var runner = _x._runners.Get(task.Type);
                _ = Task.Run(() => RunAttemptAsync(runner, context, attempt, masker, file));
            }

            _toLaunch.Clear();
        }

        private IReadOnlyDictionary<string, System.Text.Json.JsonElement>? _params;

        /// <summary>Awaits the result a worker writes for the attempt; stopping it (timeout, fail-fast, an operator) asks the worker to stop it.</summary>
        private async Task AwaitWorkerAsync(RunningAttempt attempt)
        {
            using var linked = attempt.Timeout is null
                ? CancellationTokenSource.CreateLinkedTokenSource(attempt.Stop.Token)
                : CancellationTokenSource.CreateLinkedTokenSource(attempt.Stop.Token, attempt.Timeout.Token);
            TaskResult result;
            try
            {
                result = await _x._options.Remote!.WaitAsync(attempt.AttemptId, linked.Token, attempt.Detach.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (attempt.Detach.IsCancellationRequested)
            {
                // Left to whoever claims the run next; this loop no longer waits for it.
                return;
            }

            // A worker's own times, kept within what this process saw (clocks of two machines differ a little).
            var now = _x._time.GetUtcNow();
            if (result.RanAt is var (started, ended))
            {
                var from = started < attempt.StartedAt ? attempt.StartedAt : started > now ? now : started;
                result = result with { RanAt = (from, ended < from ? from : ended > now ? now : ended) };
            }

            _finished.Writer.TryWrite(new AttemptFinished(attempt, result, result.RanAt?.Ended ?? now));
        }

        private async Task RunAttemptAsync(ITaskRunner runner, TaskExecutionContext context, RunningAttempt attempt, SecretMasker masker, FileTaskLog file)
        {
            TaskResult result;
            using var linked = attempt.Timeout is null
                ? CancellationTokenSource.CreateLinkedTokenSource(attempt.Stop.Token)
                : CancellationTokenSource.CreateLinkedTokenSource(attempt.Stop.Token, attempt.Timeout.Token);
            try
            {
                result = await Runners.CircuitBreakers.CircuitGate.RunAsync(_x._store, runner, context, _x._time, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A runner bug must not take the run down: the attempt fails with the message, the log gets the detail.
                context.Log.WriteLine("weft", ex.ToString());
                result = TaskResult.Failed(ex.Message);
            }
            finally
            {
                (context.Log as IDisposable)?.Dispose();
            }

            if (file.Failure is { } logFailure)
            {
                result = TaskResult.Failed(logFailure);
            }

            // Masked before anything is stored: outputs and reason reach the database, the API, the CLI and hooks.
            _finished.Writer.TryWrite(new AttemptFinished(attempt, result.Masked(masker), _x._time.GetUtcNow()));
        }
    }
}
