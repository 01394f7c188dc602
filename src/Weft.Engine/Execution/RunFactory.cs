using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>Makes the rows of a new run: the run and one task instance per task, all in state none.</summary>
internal static class RunFactory
{
    private static readonly IReadOnlyDictionary<string, string> NoOutputs = ImmutableDictionary<string, string>.Empty;

    /// <summary>The run's effective parameters: the DAG's defaults overridden by the given values.</summary>
    public static ImmutableDictionary<string, JsonElement> EffectiveParams(DagDefinition dag, IReadOnlyDictionary<string, JsonElement>? conf)
    {
        var result = dag.Params;
        if (conf is not null)
        {
            foreach (var (k, v) in conf)
            {
                result = result.SetItem(k, v);
            }
        }

        return result;
    }

    /// <summary>The run row.</summary>
    public static RunRecord NewRun(
        DagDefinition dag,
        string runId,
        string runType,
        DateTimeOffset logicalDate,
        DateTimeOffset intervalStart,
        DateTimeOffset intervalEnd,
        IReadOnlyDictionary<string, JsonElement> conf,
        string? dagFile,
        DateTimeOffset now) =>
        new(
            dag.Id,
            runId,
            RunState.Queued,
            runType,
            logicalDate,
            intervalStart,
            intervalEnd,
            StartDate: null,
            EndDate: null,
            ConfJson: JsonObjects.ToText(conf),
            DagFile: dagFile,
            CreatedAt: now)
        {
            DagHash = dag.SourceHash,
            DagVersion = dag.Version,
        };


    /// <summary>One task instance per task, state none, try 0.</summary>
    public static IReadOnlyList<TaskInstanceRecord> NewTaskInstances(DagDefinition dag, string runId)
    {
        var list = new List<TaskInstanceRecord>(dag.Tasks.Length);
        foreach (var t in dag.Tasks)
        {
            list.Add(NewTaskInstance(t, runId, dag.Id));
        }

        return list;
    }

    /// <summary>A task's instance in a run: state none, try 0.</summary>
    public static TaskInstanceRecord NewTaskInstance(TaskDefinition t, string runId, string dagId) =>
        new(dagId, runId, t.Id, TaskState.None, TryNumber: 0, t.MaxTries, ExitCode: null,
            StartDate: null, EndDate: null, NextRetryAt: null, AttemptId: null, Reason: null,
            t.Queue, t.Pool, t.PoolSlots, t.Priority, NoOutputs);

    /// <summary>Parses a run's stored conf.</summary>
    public static IReadOnlyDictionary<string, JsonElement> ParseConf(string confJson)
    {
        if (string.IsNullOrWhiteSpace(confJson))
        {
            return ImmutableDictionary<string, JsonElement>.Empty;
        }

        using var doc = JsonDocument.Parse(confJson);
        var dict = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (doc.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                dict[p.Name] = p.Value.Clone();
            }
        }

        return dict;
    }
}
