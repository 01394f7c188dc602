using System.CommandLine;
using Weft.Cli.Rendering;
using Weft.Core.Dags;

namespace Weft.Cli.Commands;

/// <summary><c>weft graph FILE [--format mermaid|dot|ascii]</c>: the DAG as a picture.</summary>
internal sealed class GraphCommand : WeftCommand
{
    private readonly Argument<string> _file = new("FILE")
    {
        Description = "A DAG file, or the id of a DAG in the DAGs folder",
    };

    private readonly Option<string> _format = new("--format", "-f")
    {
        Description = "ascii: layers as text; mermaid: a Mermaid flowchart; dot: a Graphviz digraph",
        HelpName = "mermaid|dot|ascii",
        DefaultValueFactory = _ => "ascii",
    };

    public GraphCommand()
        : base("graph", "Draw a DAG as text, a Mermaid flowchart or a Graphviz digraph")
    {
        _format.Validators.Add(result =>
        {
            var format = result.GetValueOrDefault<string>();
            if (format is not ("ascii" or "mermaid" or "dot"))
            {
                result.AddError($"--format must be mermaid, dot or ascii, not '{format}'");
            }
        });
        Arguments.Add(_file);
        Options.Add(_format);
    }

    protected override Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var graph = DagGraph.Build(DagTargets.Load(context, context.ParseResult.GetRequiredValue(_file)));
        if (context.Json)
        {
            context.WriteJson(new GraphJson(
                graph.Dag.Id,
                [.. Enumerable.Range(0, graph.Count).Select(i => new GraphNode(graph.Id(i), graph.Task(i).Type, graph.LayerOf(i) + 1))],
                [.. Edges(graph)]));
            return Task.FromResult(ExitCodes.Success);
        }

        var text = context.ParseResult.GetValue(_format) switch
        {
            "mermaid" => MermaidRenderer.Render(graph),
            "dot" => DotRenderer.Render(graph),
            _ => AsciiRenderer.Render(graph),
        };
        context.Out.Write(text);
        return Task.FromResult(ExitCodes.Success);
    }

    private static IEnumerable<GraphEdge> Edges(DagGraph graph)
    {
        var edges = new List<GraphEdge>(graph.EdgeCount);
        foreach (var v in graph.TopologicalOrder)
        {
            foreach (var u in graph.Upstream(v))
            {
                edges.Add(new GraphEdge(graph.Id(u), graph.Id(v)));
            }
        }

        return edges;
    }

    internal sealed record GraphJson(string DagId, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);

    internal sealed record GraphNode(string Id, TaskType Type, int Layer);

    internal sealed record GraphEdge(string From, string To);
}
