using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Server.Metrics;

/// <summary>Feeds one run's events into <see cref="WeftMetrics"/>; the scheduling delay needs the run's end times.</summary>
internal sealed class RunMetricsObserver : IRunObserver
{
    private readonly WeftMetrics _metrics;
    private readonly Dictionary<string, TaskDefinition> _tasks;
    private readonly Dictionary<string, DateTimeOffset> _ends = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RunMetricsObserver(WeftMetrics metrics, DagDefinition dag, RunSnapshot start)
    {
        _metrics = metrics;
        _tasks = dag.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var t in start.Tasks)
        {
            if (t.EndDate is { } end && t.State.IsFinished())
            {
                _ends[t.TaskId] = end;
            }
        }
    }

    public void TaskStarted(TaskInstanceRecord task)
    {
        _metrics.TaskEntered(task.DagId, task.State.ToName());
        if (task.StartDate is not { } start || !_tasks.TryGetValue(task.TaskId, out var definition) || definition.DependsOn.IsEmpty)
        {
            return;
        }

        DateTimeOffset? latest = null;
        lock (_lock)
        {
            foreach (var upstream in definition.DependsOn)
            {
                if (_ends.TryGetValue(upstream, out var end) && (latest is null || end > latest))
                {
                    latest = end;
                }
            }
        }

        if (latest is { } ready)
        {
            _metrics.SchedulingDelay(task.DagId, start - ready);
        }
    }

    public void TaskFinished(TaskInstanceRecord task)
    {
        var state = task.State.ToName();
        _metrics.TaskEntered(task.DagId, state);
        if (task.EndDate is { } end)
        {
            lock (_lock)
            {
                _ends[task.TaskId] = end;
            }

            if (task.StartDate is { } start)
            {
                _metrics.TaskDuration(task.DagId, state, end - start);
            }
        }
    }

    public void RunFinished(RunSnapshot run)
    {
        var state = run.Run.State.ToName();
        _metrics.RunEntered(run.Run.DagId, state);
        if (run.Run.StartDate is { } start && run.Run.EndDate is { } end)
        {
            _metrics.RunDuration(run.Run.DagId, state, end - start);
        }
    }
}
