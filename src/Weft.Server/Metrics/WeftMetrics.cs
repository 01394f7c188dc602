using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Weft.Server.Metrics;

/// <summary>
/// Weft's instruments, on the <c>Weft</c> meter: state transitions of runs and task instances, durations,
/// the delay from an upstream's end to its downstream's start, and how many runs wait and run.
/// </summary>
internal sealed class WeftMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Weft";

    private readonly Meter _meter;
    private readonly Counter<long> _runTransitions;
    private readonly Counter<long> _taskTransitions;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _taskDuration;
    private readonly Histogram<double> _schedulingDelay;
    private int _queuedRuns;
    private int _activeRuns;

    public WeftMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _runTransitions = _meter.CreateCounter<long>("weft.dag_run.transitions", description: "DAG runs entering a state");
        _taskTransitions = _meter.CreateCounter<long>("weft.task_instance.transitions", description: "Task instances entering a state");
        _runDuration = _meter.CreateHistogram<double>("weft.dag_run.duration", "s", "Duration of finished DAG runs");
        _taskDuration = _meter.CreateHistogram<double>("weft.task_instance.duration", "s", "Duration of finished task attempts");
        _schedulingDelay = _meter.CreateHistogram<double>("weft.task_instance.scheduling_delay", "s", "From the last upstream task's end to the downstream task's start");
        _meter.CreateObservableGauge("weft.dag_run.queued", () => Volatile.Read(ref _queuedRuns), description: "DAG runs waiting to start (queue depth)");
        _meter.CreateObservableGauge("weft.dag_run.active", () => Volatile.Read(ref _activeRuns), description: "DAG runs being executed");
    }

    public void RunEntered(string dagId, string state) =>
        _runTransitions.Add(1, new TagList { { "dag_id", dagId }, { "state", state } });

    public void TaskEntered(string dagId, string state) =>
        _taskTransitions.Add(1, new TagList { { "dag_id", dagId }, { "state", state } });

    public void RunDuration(string dagId, string state, TimeSpan duration) =>
        _runDuration.Record(duration.TotalSeconds, new TagList { { "dag_id", dagId }, { "state", state } });

    public void TaskDuration(string dagId, string state, TimeSpan duration) =>
        _taskDuration.Record(duration.TotalSeconds, new TagList { { "dag_id", dagId }, { "state", state } });

    public void SchedulingDelay(string dagId, TimeSpan delay) =>
        _schedulingDelay.Record(Math.Max(0, delay.TotalSeconds), new TagList { { "dag_id", dagId } });

    /// <summary>Sets the queue depth and active run count the gauges report.</summary>
    public void SetRunCounts(int queued, int active)
    {
        Volatile.Write(ref _queuedRuns, queued);
        Volatile.Write(ref _activeRuns, active);
    }

    /// <summary>The meter, for instruments defined elsewhere (<see cref="QueueGauges"/>).</summary>
    public Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();
}
