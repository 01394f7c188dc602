using Weft.Core.Dags;
using Weft.Core.Runs;

namespace Weft.Core.Tests.Runs;

/// <summary>Small DAGs written one task a line: <c>"d: b c @one_success !"</c> is task d after b and c, with a rule, critical.</summary>
internal static class RunTestDags
{
    public static DagDefinition Parse(params string[] tasks) => new()
    {
        Id = "test",
        Tasks = [.. tasks.Select(ParseTask)],
    };

    public static RunCoordinator Coordinator(params string[] tasks) =>
        new(Parse(tasks), new Dictionary<string, TaskState>());

    /// <summary>Runs every scheduled task to the outcome <paramref name="outcome"/> gives, until nothing is ready; returns every transition.</summary>
    public static List<TaskTransition> Drive(RunCoordinator run, Func<string, TaskState>? outcome = null)
    {
        outcome ??= _ => TaskState.Success;
        var all = new List<TaskTransition>();
        var ready = new Queue<string>();
        void Take(IReadOnlyList<TaskTransition> transitions)
        {
            all.AddRange(transitions);
            foreach (var t in transitions.Where(t => t.To == TaskState.Scheduled))
            {
                ready.Enqueue(t.TaskId);
            }
        }

        Take(run.Start());
        while (ready.TryDequeue(out var id))
        {
            run.MarkRunning(id);
            Take(run.Finish(id, outcome(id)));
        }
        return all;
    }

    private static TaskDefinition ParseTask(string spec)
    {
        var critical = spec.TrimEnd().EndsWith('!');
        spec = spec.TrimEnd().TrimEnd('!');
        var rule = TriggerRule.AllSuccess;
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            Assert.True(StateNames.TryParseTriggerRule(spec[(at + 1)..].Trim(), out rule));
            spec = spec[..at];
        }
        var parts = spec.Split(':', 2);
        var upstream = parts.Length > 1
            ? parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        return new TaskDefinition
        {
            Id = parts[0].Trim(),
            DependsOn = [.. upstream],
            TriggerRule = rule,
            Critical = critical,
        };
    }

    /// <summary>The ids that <paramref name="transitions"/> schedule, in order.</summary>
    public static string[] ScheduledIds(IEnumerable<TaskTransition> transitions) =>
        [.. transitions.Where(t => t.To == TaskState.Scheduled).Select(t => t.TaskId)];
}
