using System.Text.Json;

namespace Weft;

/// <summary>What a C# delegate task sees of its run, and how it reports outputs.</summary>
public interface ITaskContext
{
    /// <summary>The DAG id.</summary>
    string DagId { get; }
    /// <summary>The run id.</summary>
    string RunId { get; }
    /// <summary>The task id.</summary>
    string TaskId { get; }
    /// <summary>The attempt number, from 1.</summary>
    int Attempt { get; }
    /// <summary>The run's parameters.</summary>
    IReadOnlyDictionary<string, JsonElement> Params { get; }
    /// <summary>An upstream task's output, or null.</summary>
    string? GetOutput(string taskId, string key);
    /// <summary>Sets an output of this task.</summary>
    void SetOutput(string key, string value);
    /// <summary>Writes a line to the attempt's log.</summary>
    void Log(string line);
}
