using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Logs;
using Weft.Engine.Runners;
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
            while (_running.Count < _parallelism && _ready.TryDequeue(out var id, out _))
            {
                var task = _run.Tasks[id];
                var poolSize = PoolSize(task.Pool);
                if (task.PoolSlots > poolSize)
                {
                    var inst = _run.Instances[id];
                    Final(inst with { EndDate = Now, Reason = $"needs {task.PoolSlots} slots but pool '{task.Pool}' has {poolSize}" }, TaskState.Failed);
                    continue;
                }

                if (_poolUse.GetValueOrDefault(task.Pool) + task.PoolSlots > poolSize)
                {
                    (blocked ??= []).Add(id);
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

        private int PoolSize(string pool) => _x._options.PoolSlots.TryGetValue(pool, out var n) ? n : _x._options.DefaultPoolSlots;

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

            if (task.Type == TaskType.Noop)
            {
                // Nothing to run: the attempt starts and ends in the same batch.
                _batch.AttemptsStarted.Add(new AttemptRecord(attemptId, inst.DagId, inst.RunId, task.Id, tryNumber, TaskState.Success, _x._options.Owner, now, now, null, 0, null, null));
                Final(running with { ExitCode = null, EndDate = now }, TaskState.Success);
                return;
            }

            var logPath = TaskLogPaths.For(_x._options.Home, inst.DagId, inst.RunId, task.Id, tryNumber);
            _batch.AttemptsStarted.Add(new AttemptRecord(attemptId, inst.DagId, inst.RunId, task.Id, tryNumber, TaskState.Running, _x._options.Owner, now, null, null, null, null, logPath));
            _run.Update(running);
            _poolUse[task.Pool] = _poolUse.GetValueOrDefault(task.Pool) + task.PoolSlots;
            var timeout = task.Timeout is { } t ? new CancellationTokenSource(t, _x._time) : null;
            var attempt = new RunningAttempt(task.Id, attemptId, new CancellationTokenSource(), timeout, task.Timeout);
            _running[attemptId] = attempt;
            _toLaunch.Add(attempt);
            _x._observer.TaskStarted(running);
        }

        /// <summary>Hands the attempts committed as running to their runners.</summary>
        private void Launch()
        {
            foreach (var attempt in _toLaunch)
            {
                var task = _run.Tasks[attempt.TaskId];
                var inst = _run.Instances[attempt.TaskId];
                var context = new TaskExecutionContext
                {
                    Dag = _run.Dag,
                    Task = task,
                    RunId = inst.RunId,
                    Attempt = inst.TryNumber,
                    LogicalDate = _run.Run.LogicalDate,
                    DataIntervalStart = _run.Run.DataIntervalStart,
                    DataIntervalEnd = _run.Run.DataIntervalEnd,
                    Params = _params ??= RunFactory.EffectiveParams(_run.Dag, RunFactory.ParseConf(_run.Run.ConfJson)),
                    Outputs = _run.Outputs,
                    States = _run.States,
                    Secrets = _x._options.Secrets,
                    TmpDir = _tmpDir,
                    TasksDir = _x._options.TasksDir,
                    Log = new FileTaskLog(TaskLogPaths.For(_x._options.Home, inst.DagId, inst.RunId, task.Id, inst.TryNumber)),
                };
                var runner = _x._runners.Get(task.Type);
                _ = Task.Run(() => RunAttemptAsync(runner, context, attempt));
            }

            _toLaunch.Clear();
        }

        private IReadOnlyDictionary<string, System.Text.Json.JsonElement>? _params;

        private async Task RunAttemptAsync(ITaskRunner runner, TaskExecutionContext context, RunningAttempt attempt)
        {
            TaskResult result;
            using var linked = attempt.Timeout is null
                ? CancellationTokenSource.CreateLinkedTokenSource(attempt.Stop.Token)
                : CancellationTokenSource.CreateLinkedTokenSource(attempt.Stop.Token, attempt.Timeout.Token);
            try
            {
                result = await runner.RunAsync(context, linked.Token).ConfigureAwait(false);
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

            _finished.Writer.TryWrite(new AttemptFinished(attempt, result, _x._time.GetUtcNow()));
        }
    }
}
