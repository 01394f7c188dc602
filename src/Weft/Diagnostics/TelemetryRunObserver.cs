using System.Collections.Concurrent;
using System.Diagnostics;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Diagnostics;

/// <summary>Turns one run's events into spans (the run, each attempt under it) and metrics.</summary>
internal sealed class TelemetryRunObserver : IRunObserver
{
    private readonly Activity? _run;
    private readonly ConcurrentDictionary<string, Activity> _attempts = new(StringComparer.Ordinal);

    public TelemetryRunObserver(RunSnapshot start)
    {
        // A root span: a run is not part of whatever the thread that happened to start it was doing.
        _run = WeftTelemetry.Source.StartActivity(ActivityKind.Internal, parentContext: default, name: $"run {start.Run.DagId}");
        _run?.SetTag("weft.dag_id", start.Run.DagId);
        _run?.SetTag("weft.run_id", start.Run.RunId);
    }

    public void TaskStarted(TaskInstanceRecord task)
    {
        var attempt = WeftTelemetry.Source.StartActivity(ActivityKind.Internal, parentContext: _run?.Context ?? default, name: $"task {task.TaskId}");
        if (attempt is null)
        {
            return;
        }

        attempt.SetTag("weft.dag_id", task.DagId);
        attempt.SetTag("weft.run_id", task.RunId);
        attempt.SetTag("weft.task_id", task.TaskId);
        attempt.SetTag("weft.try_number", task.TryNumber);
        _attempts.TryRemove(task.TaskId, out var stale);
        stale?.Dispose();
        _attempts[task.TaskId] = attempt;
    }

    public void TaskFinished(TaskInstanceRecord task)
    {
        var state = task.State.ToName();
        WeftTelemetry.TasksFinished.Add(1, new("weft.dag_id", task.DagId), new("weft.state", state));
        if (_attempts.TryRemove(task.TaskId, out var attempt))
        {
            attempt.SetTag("weft.state", state);
            if (task.State == TaskState.Failed)
            {
                attempt.SetStatus(ActivityStatusCode.Error, task.Reason);
            }

            attempt.Dispose();
        }
    }

    public void RunFinished(RunSnapshot run)
    {
        var state = run.Run.State.ToName();
        WeftTelemetry.RunsFinished.Add(1, new("weft.dag_id", run.Run.DagId), new("weft.state", state));
        if (run.Run.StartDate is { } start && run.Run.EndDate is { } end)
        {
            WeftTelemetry.RunDuration.Record((end - start).TotalSeconds, new KeyValuePair<string, object?>("weft.dag_id", run.Run.DagId));
        }

        foreach (var open in _attempts.Values)
        {
            open.Dispose();
        }

        _attempts.Clear();
        if (_run is not null)
        {
            _run.SetTag("weft.state", state);
            if (run.Run.State == RunState.Failed)
            {
                _run.SetStatus(ActivityStatusCode.Error);
            }

            _run.Dispose();
        }
    }
}
