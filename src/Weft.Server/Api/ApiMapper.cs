using System.Text.Json;
using Weft.Core.Definitions;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Json;
using Weft.Engine.Secrets;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;

namespace Weft.Server.Api;

/// <summary>Records to response models. Text a task produced (outputs, reasons) passes through the secret masker.</summary>
internal static class ApiMapper
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <param name="now">The next run is the first due after this instant, by the scheduler's rule.</param>
    public static DagResponse Dag(DagRecord record, LoadResult load, DateTimeOffset now)
    {
        var dag = load.Dag;
        var next = dag is not null && RunPlanner.NextRuns(dag, now, 1) is [var n] ? n : null;
        var tags = dag is not null ? [.. dag.Tags] : JsonStringList.Read(record.TagsJson);
        return new DagResponse(
            record.DagId,
            dag?.DisplayName,
            dag?.Description,
            dag?.Version,
            record.FilePath,
            record.IsPaused,
            record.ScheduleText,
            dag?.TimeZone.Id ?? "UTC",
            tags,
            dag is null ? EmptyObject : JsonObjects.ToElement(dag.Params),
            dag?.MaxActiveRuns ?? 0,
            dag?.MaxActiveTasks ?? 0,
            dag is null ? [] : [.. dag.Tasks.Select(t => new DagTaskResponse(
                t.Id, t.Type.ToString().ToLowerInvariant(), [.. t.DependsOn], t.TriggerRule.ToName(), t.Retries, t.Pool, t.Queue, t.Priority))],
            record.Hash,
            record.LoadError ?? (load.HasErrors ? string.Join("\n", load.Diagnostics.Select(d => d.ToString())) : null),
            record.UpdatedAt,
            next?.LogicalDate,
            next?.RunAfter);
    }

    public static DagRunResponse Run(RunRecord run, IReadOnlyList<TaskInstanceRecord>? tasks, SecretMasker masker) => new(
        run.DagId,
        run.RunId,
        run.State.ToName(),
        run.RunType,
        run.LogicalDate,
        run.DataIntervalStart,
        run.DataIntervalEnd,
        run.StartDate,
        run.EndDate,
        Conf(run.ConfJson),
        tasks?.Select(t => TaskInstance(t, masker)).ToList())
    {
        DagVersion = run.DagVersion,
        DagHash = run.DagHash,
    };

    public static TaskInstanceResponse TaskInstance(TaskInstanceRecord t, SecretMasker masker) => new(
        t.TaskId,
        t.State.ToName(),
        t.TryNumber,
        t.MaxTries,
        t.ExitCode,
        t.StartDate,
        t.EndDate,
        t.StartDate is { } s && t.EndDate is { } e ? (long)(e - s).TotalMilliseconds : null,
        t.Reason is null ? null : masker.Mask(t.Reason),
        t.NextRetryAt,
        masker.IsEmpty ? t.Outputs : t.Outputs.ToDictionary(p => p.Key, p => masker.Mask(p.Value), StringComparer.Ordinal),
        t.Pool,
        t.Queue,
        t.Priority);

    private static JsonElement Conf(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return EmptyObject;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

}
