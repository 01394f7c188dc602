using System.Text;
using System.Text.RegularExpressions;
using Weft.Core.Dags;

namespace Weft.Cli.Rendering;

/// <summary>Renders a DAG as a Mermaid <c>flowchart TD</c>.</summary>
internal static partial class MermaidRenderer
{
    // Words Mermaid's flowchart grammar reserves; `end` in particular breaks a chart when used as a node id.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "end", "graph", "flowchart", "subgraph", "style", "class", "classDef", "click", "linkStyle", "direction", "default",
    };

    public static string Render(DagGraph graph)
    {
        var node = new string[graph.Count];
        for (var i = 0; i < graph.Count; i++)
        {
            var id = graph.Id(i);
            // Task ids may hold '.' and '-', which Mermaid reads as edge syntax; such tasks get a
            // positional node id ('_' cannot start a task id, so it never collides) and keep their label.
            node[i] = PlainId().IsMatch(id) && !Reserved.Contains(id) ? id : $"_{i}";
        }

        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        for (var i = 0; i < graph.Count; i++)
        {
            text.Append($"    {node[i]}[\"{graph.Id(i)}\"]\n");
        }

        foreach (var v in graph.TopologicalOrder)
        {
            foreach (var u in graph.Upstream(v))
            {
                text.Append($"    {node[u]} --> {node[v]}\n");
            }
        }

        return text.ToString();
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex PlainId();
}
