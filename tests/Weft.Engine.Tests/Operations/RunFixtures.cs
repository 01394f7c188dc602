using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Engine.Tests.Operations;

/// <summary>Small DAGs and stored runs in a chosen state, for the operator actions.</summary>
internal static class RunFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>extract → transform → load, and report after extract; transform has two retries.</summary>
    public static DagDefinition Etl() => new()
    {
        Id = "etl",
        Tasks =
        [
            new TaskDefinition { Id = "extract", Type = TaskType.Shell, Command = "true" },
            new TaskDefinition { Id = "transform", Type = TaskType.Shell, Command = "true", DependsOn = ["extract"], Retries = 2 },
            new TaskDefinition { Id = "load", Type = TaskType.Shell, Command = "true", DependsOn = ["transform"] },
            new TaskDefinition { Id = "report", DependsOn = ["extract"] },
        ],
    };

    /// <summary>A run of <paramref name="dag"/> in <paramref name="state"/> whose tasks have the given states (try 1 each when run).</summary>
    public static RunSnapshot Run(DagDefinition dag, RunState state, params (string Task, TaskState State)[] tasks)
    {
        var states = tasks.ToDictionary(t => t.Task, t => t.State);
        var run = new RunRecord(dag.Id, "manual__1", state, "manual", Start, Start, Start, Start, state is RunState.Success or RunState.Failed ? Start.AddMinutes(1) : null, "{}", null, Start);
        var instances = dag.Tasks.Select(t =>
        {
            var s = states.GetValueOrDefault(t.Id, TaskState.None);
            var ran = s is TaskState.Success or TaskState.Failed or TaskState.Running;
            return new TaskInstanceRecord(
                dag.Id, run.RunId, t.Id, s, ran ? 1 : 0, t.MaxTries, ran && s != TaskState.Running ? (s == TaskState.Success ? 0 : 1) : null,
                ran ? Start : null, ran && s != TaskState.Running ? Start.AddSeconds(5) : null, null, ran ? "att-" + t.Id : null,
                s == TaskState.Failed ? "exit code 1" : null, t.Queue, t.Pool, t.PoolSlots, t.Priority,
                s == TaskState.Success ? ImmutableDictionary<string, string>.Empty.Add("rows", "42") : ImmutableDictionary<string, string>.Empty);
        }).ToList();
        return new RunSnapshot(run, instances);
    }

    public static TaskInstanceRecord Task(this RunSnapshot run, string id) => run.Tasks.Single(t => t.TaskId == id);
}
