using Weft.Core.Dags;
using Weft.Core.Runs;

namespace Weft.Core.Tests.Runs;

public sealed class RunGraphTests
{
    [Fact]
    public void Constructor_Diamond_IndexesEdgesBothWays()
    {
        var graph = new RunGraph(RunTestDags.Parse("a", "b: a", "c: a", "d: b c"));

        Assert.Equal(4, graph.Count);
        Assert.Equal(["b", "c"], Ids(graph, graph.Downstream(graph.IndexOf("a"))));
        Assert.Equal(["d"], Ids(graph, graph.Downstream(graph.IndexOf("c"))));
        Assert.Equal(2, graph.UpstreamCount(graph.IndexOf("d")));
        Assert.Equal(0, graph.UpstreamCount(graph.IndexOf("a")));
        Assert.True(graph.IsLeaf(graph.IndexOf("d")));
        Assert.False(graph.IsLeaf(graph.IndexOf("b")));
    }

    [Fact]
    public void Constructor_RepeatedUpstream_KeepsOneEdge()
    {
        var graph = new RunGraph(RunTestDags.Parse("a", "b: a a"));

        Assert.Equal(1, graph.UpstreamCount(1));
        Assert.Equal(1, graph.Downstream(0).Length);
    }

    [Fact]
    public void Constructor_RepeatedTaskId_Throws()
    {
        var dag = new DagDefinition { Id = "d", Tasks = [new TaskDefinition { Id = "a" }, new TaskDefinition { Id = "a" }] };

        Assert.Throws<ArgumentException>(() => new RunGraph(dag));
    }

    [Fact]
    public void IndexOf_UnknownTask_Throws()
    {
        var graph = new RunGraph(RunTestDags.Parse("a"));

        Assert.False(graph.TryGetIndex("b", out _));
        Assert.Throws<ArgumentException>(() => graph.IndexOf("b"));
    }

    private static string[] Ids(RunGraph graph, ReadOnlySpan<int> indexes)
    {
        var ids = new string[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            ids[i] = graph.Task(indexes[i]).Id;
        }
        return ids;
    }
}
