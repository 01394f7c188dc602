using System.Text;
using Weft.Core.Dags;

namespace Weft.Cli.Rendering;

/// <summary>
/// Renders a DAG as text, layer by layer, each task with the upstreams it waits for:
/// readable in any terminal and in a CI log, where box-drawing pictures of wide DAGs are not.
/// </summary>
internal static class AsciiRenderer
{
    public static string Render(DagGraph graph)
    {
        var text = new StringBuilder();
        text.Append($"{graph.Dag.Id} ({PlanReport.Plural(graph.Count, "task")}, {PlanReport.Plural(graph.EdgeCount, "edge")})\n");
        var width = graph.Count == 0 ? 0 : Enumerable.Range(0, graph.Count).Max(i => graph.Id(i).Length);
        for (var k = 0; k < graph.Layers.Count; k++)
        {
            text.Append('\n');
            text.Append($"layer {k + 1}\n");
            foreach (var v in graph.Layers[k])
            {
                var upstream = graph.Upstream(v);
                text.Append("  ");
                if (upstream.IsEmpty)
                {
                    text.Append(graph.Id(v));
                }
                else
                {
                    text.Append(graph.Id(v).PadRight(width)).Append("  <- ");
                    for (var e = 0; e < upstream.Length; e++)
                    {
                        text.Append(e == 0 ? "" : ", ").Append(graph.Id(upstream[e]));
                    }
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
