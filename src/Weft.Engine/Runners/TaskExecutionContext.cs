using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Runs;

namespace Weft.Engine.Runners;

/// <summary>Everything one attempt needs: the task, its run, upstream results, and where to write.</summary>
internal sealed class TaskExecutionContext
{
    public required DagDefinition Dag { get; init; }
    public required TaskDefinition Task { get; init; }
    public required string RunId { get; init; }
    public required int Attempt { get; init; }
    /// <summary>The attempt's id, given to its process as <c>WEFT_ATTEMPT_ID</c> so leftovers can be found after a crash.</summary>
    public string AttemptId { get; init; } = "";
    /// <summary>Told the identity of the attempt's process once it started (recorded for orphan clean-up).</summary>
    public Action<Storage.ProcessIdentity>? ProcessStarted { get; init; }
    public DateTimeOffset? LogicalDate { get; init; }
    public DateTimeOffset? DataIntervalStart { get; init; }
    public DateTimeOffset? DataIntervalEnd { get; init; }
    /// <summary>The run's effective parameters (defaults overridden by the run's conf).</summary>
    public required IReadOnlyDictionary<string, JsonElement> Params { get; init; }
    /// <summary>Outputs of finished tasks of the run, by task id.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Outputs { get; init; }
    /// <summary>States of the run's tasks, by task id.</summary>
    public required IReadOnlyDictionary<string, TaskState> States { get; init; }
    /// <summary>Looks up a secret's value; null when unknown.</summary>
    public Func<string, string?> Secrets { get; init; } = _ => null;
    /// <summary>The run's shared temporary folder (<c>WEFT_TMP</c>).</summary>
    public required string TmpDir { get; init; }
    /// <summary>Where relative script paths are looked up first.</summary>
    public required string TasksDir { get; init; }
    /// <summary>The attempt's log.</summary>
    public required ITaskLog Log { get; init; }
}

/// <summary>An attempt's log file: timestamped lines, stdout and stderr interleaved.</summary>
internal interface ITaskLog
{
    /// <summary>The file path.</summary>
    string Path { get; }

    /// <summary>Appends one line (thread-safe).</summary>
    void WriteLine(string stream, string line);
}
