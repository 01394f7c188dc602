using Weft.Core.Dags;

namespace Weft.Cli.Rendering;

/// <summary>The plan of a DAG as <c>weft plan</c> shows it; its properties are the JSON fields.</summary>
internal sealed record PlanReport(
    string DagId,
    string? File,
    int TaskCount,
    int EdgeCount,
    IReadOnlyList<PlanLayer> Layers,
    PlanPath CriticalPath,
    int MaxParallelWidth)
{
    public static PlanReport From(DagGraph graph)
    {
        // Layers are numbered from 1 for people; DagGraph counts from 0.
        var layers = graph.Layers.Select((tasks, k) => new PlanLayer(k + 1, [.. tasks.Select(graph.Id)])).ToList();
        var path = graph.CriticalPath;
        return new PlanReport(
            graph.Dag.Id,
            graph.Dag.SourceFile,
            graph.Count,
            graph.EdgeCount,
            layers,
            new PlanPath([.. path.Tasks.Select(graph.Id)], (int)path.Length),
            graph.MaxWidth);
    }

    public void WriteText(TextWriter output)
    {
        output.WriteLine($"DAG {DagId}: {Plural(TaskCount, "task")}, {Plural(EdgeCount, "edge")}");
        output.WriteLine();
        output.WriteLine($"execution layers ({Layers.Count}):");
        var width = Layers.Count.ToString().Length;
        foreach (var layer in Layers)
        {
            output.WriteLine($"  layer {layer.Layer.ToString().PadLeft(width)}: {string.Join(", ", layer.Tasks)}");
        }

        output.WriteLine();
        output.WriteLine($"critical path: {(CriticalPath.Tasks.Count == 0 ? "(none)" : string.Join(" -> ", CriticalPath.Tasks))} (length {CriticalPath.Length})");
        output.WriteLine($"max parallel width: {MaxParallelWidth}");
    }

    internal static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}

/// <summary>One execution layer: tasks that can run together once the layers before are done.</summary>
internal sealed record PlanLayer(int Layer, IReadOnlyList<string> Tasks);

/// <summary>The longest chain of dependent tasks, and its length in tasks.</summary>
internal sealed record PlanPath(IReadOnlyList<string> Tasks, int Length);
