using System.Text.Json;
using Weft.Core.Dags;

namespace Weft.Engine.Runners.Delegates;

/// <summary>What a C# delegate task sees: the run's parameters and upstream outputs, its log, and its own outputs.</summary>
internal sealed class DelegateTaskContext(TaskExecutionContext context) : ITaskContext
{
    private readonly Lock _lock = new();
    private Dictionary<string, string>? _outputs;

    public string DagId => context.Dag.Id;
    public string RunId => context.RunId;
    public string TaskId => context.Task.Id;
    public int Attempt => context.Attempt;
    public IReadOnlyDictionary<string, JsonElement> Params => context.Params;

    /// <summary>The outputs set so far (a copy).</summary>
    public IReadOnlyDictionary<string, string>? Outputs
    {
        get
        {
            lock (_lock)
            {
                return _outputs is null ? null : new Dictionary<string, string>(_outputs, StringComparer.Ordinal);
            }
        }
    }

    public string? GetOutput(string taskId, string key) =>
        context.Outputs.TryGetValue(taskId, out var outputs) && outputs.TryGetValue(key, out var value) ? value : null;

    public void SetOutput(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        // A delegate may fan work out to several threads that each report.
        lock (_lock)
        {
            (_outputs ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
        }
    }

    public void Log(string line) => context.Log.WriteLine("log", line);
}
