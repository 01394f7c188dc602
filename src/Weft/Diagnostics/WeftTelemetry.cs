using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Weft.Diagnostics;

/// <summary>
/// Weft's traces and metrics, both named <c>Weft</c> so a host's OpenTelemetry setup picks them up
/// (<c>AddSource("Weft")</c>, <c>AddMeter("Weft")</c>): a span per run and per task attempt, and counts of both.
/// </summary>
internal static class WeftTelemetry
{
    public const string Name = "Weft";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RunsFinished = Meter.CreateCounter<long>("weft.runs.finished", "{run}", "Runs finished by this process, by DAG and state.");

    public static readonly Counter<long> TasksFinished = Meter.CreateCounter<long>("weft.tasks.finished", "{attempt}", "Task attempts finished by this process, by DAG and state.");

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("weft.run.duration", "s", "How long runs took, start to end.");
}
