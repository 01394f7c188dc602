using System.Text.Json;
using Weft.Cli.Rendering;
using Weft.Core.Dags;

namespace Weft.Cli.Commands;

/// <summary>What <c>weft run --dry-run</c> prints: the plan, the parameters and every task's command as written.</summary>
internal static class DryRun
{
    public static void Write(CliContext context, DagGraph graph, RunRequest request)
    {
        var plan = PlanReport.From(graph);
        var parameters = RunParameters.Merge(graph.Dag.Params, request.Conf);
        var tasks = new List<DryRunTask>(graph.Count);
        foreach (var layer in graph.Layers)
        {
            foreach (var i in layer)
            {
                var task = graph.Task(i);
                tasks.Add(new DryRunTask(task.Id, task.Type, graph.LayerOf(i) + 1, [.. task.DependsOn], Describe(task)));
            }
        }

        if (context.Json)
        {
            context.WriteJson(new DryRunJson(true, plan, parameters, tasks));
            return;
        }

        var output = context.Out;
        output.WriteLine("dry run: nothing will be executed");
        output.WriteLine();
        plan.WriteText(output);
        if (parameters.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("params:");
            foreach (var (key, value) in parameters)
            {
                output.WriteLine($"  {key} = {value.GetRawText()}");
            }
        }

        output.WriteLine();
        output.WriteLine("tasks (expressions are shown as written; they are substituted when the task runs):");
        var idWidth = tasks.Count == 0 ? 0 : tasks.Max(t => t.TaskId.Length);
        var typeWidth = tasks.Count == 0 ? 0 : tasks.Max(t => TypeName(t.Type).Length);
        var indent = new string(' ', 2 + idWidth + 2 + typeWidth + 2);
        foreach (var task in tasks)
        {
            var lines = task.Command.Split('\n');
            output.WriteLine($"  {task.TaskId.PadRight(idWidth)}  {TypeName(task.Type).PadRight(typeWidth)}  {lines[0].TrimEnd()}");
            foreach (var line in lines.Skip(1).Where(l => l.Trim().Length > 0))
            {
                output.WriteLine(indent + line.TrimEnd());
            }
        }
    }

    private static string Describe(TaskDefinition task) => task.Type switch
    {
        TaskType.Shell => task.Command ?? "",
        TaskType.Script => string.Join(' ', [task.Script ?? "", .. task.Args]),
        TaskType.Http => $"{task.Method} {task.Url}",
        TaskType.Delegate => "(C# delegate)",
        TaskType.Python => $"{task.Function}(**params{(task.Kwargs.IsEmpty ? "" : ", " + string.Join(", ", task.Kwargs.Keys))})",
        _ => "(no-op)",
    };

    private static string TypeName(TaskType type) => type.ToString().ToLowerInvariant();

    internal sealed record DryRunJson(bool DryRun, PlanReport Plan, IReadOnlyDictionary<string, JsonElement> Params, IReadOnlyList<DryRunTask> Tasks);

    internal sealed record DryRunTask(string TaskId, TaskType Type, int Layer, IReadOnlyList<string> DependsOn, string Command);
}
