using System.Text;
using Weft.Core.Dags;

namespace Weft.Cli.Rendering;

/// <summary>Renders a DAG as a Graphviz <c>digraph</c>.</summary>
internal static class DotRenderer
{
    public static string Render(DagGraph graph)
    {
        var text = new StringBuilder();
        text.Append($"digraph {Quote(graph.Dag.Id)} {{\n");
        text.Append("    rankdir=TB;\n");
        text.Append("    node [shape=box];\n");
        for (var i = 0; i < graph.Count; i++)
        {
            text.Append($"    {Quote(graph.Id(i))};\n");
        }

        foreach (var v in graph.TopologicalOrder)
        {
            foreach (var u in graph.Upstream(v))
            {
                text.Append($"    {Quote(graph.Id(u))} -> {Quote(graph.Id(v))};\n");
            }
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string Quote(string id) => $"\"{id.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
