using System.Collections.Concurrent;

namespace Weft.Server.Hosting;

/// <summary>When each background component last reported it was alive; <c>/api/v1/health</c> shows the ages.</summary>
internal sealed class Heartbeats(TimeProvider time)
{
    public const string Scheduler = "scheduler";
    public const string Executor = "executor";
    public const string DagProcessor = "dag_processor";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _beats = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="component"/> is alive now.</summary>
    public void Beat(string component) => _beats[component] = time.GetUtcNow();

    /// <summary>The last beat, or null when the component never beat.</summary>
    public DateTimeOffset? Latest(string component) => _beats.TryGetValue(component, out var at) ? at : null;
}
