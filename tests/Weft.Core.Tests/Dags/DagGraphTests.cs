using System.Collections.Immutable;
using System.Diagnostics;
using Weft.Core.Dags;

namespace Weft.Core.Tests.Dags;

public sealed class DagGraphTests
{
    // Tasks written as "id" or "id:up1,up2".
    private static DagGraph Graph(params string[] tasks) => DagGraph.Build(new DagDefinition
    {
        Id = "test",
        Tasks = [.. tasks.Select(t =>
        {
            var parts = t.Split(':');
            return new TaskDefinition { Id = parts[0], DependsOn = parts.Length > 1 ? [.. parts[1].Split(',')] : [] };
        })],
    });

    private static string[] Ids(DagGraph g, ImmutableArray<int> indices) => Ids(g, indices.AsSpan());

    private static string[] Ids(DagGraph g, ReadOnlySpan<int> indices)
    {
        var ids = new string[indices.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = g.Id(indices[i]);
        }

        return ids;
    }

    [Fact]
    public void Build_Chain_OneTaskPerLayer()
    {
        var g = Graph("a", "b:a", "c:b", "d:c");

        Assert.Equal(4, g.Count);
        Assert.Equal(3, g.EdgeCount);
        Assert.Equal(["a", "b", "c", "d"], Ids(g, g.TopologicalOrder));
        Assert.Equal(4, g.Layers.Count);
        Assert.Equal(1, g.MaxWidth);
        Assert.Equal(["a", "b", "c", "d"], Ids(g, g.CriticalPath.Tasks));
        Assert.Equal(4, g.CriticalPath.Length);
        Assert.Equal(["a"], Ids(g, g.Roots));
        Assert.Equal(["d"], Ids(g, g.Leaves));
    }

    [Fact]
    public void Build_Diamond_MiddleLayerHasTwo()
    {
        var g = Graph("a", "b:a", "c:a", "d:b,c");

        Assert.Equal(4, g.EdgeCount);
        Assert.Equal([["a"], ["b", "c"], ["d"]], g.Layers.Select(l => Ids(g, l)));
        Assert.Equal(2, g.MaxWidth);
        Assert.Equal(["a", "b", "d"], Ids(g, g.CriticalPath.Tasks));
        Assert.Equal(3, g.CriticalPath.Length);
        Assert.Equal(["b", "c"], Ids(g, g.Upstream(g.IndexOf("d"))));
        Assert.Equal(["b", "c"], Ids(g, g.Downstream(g.IndexOf("a"))));
    }

    [Fact]
    public void Build_TasksOutOfFileOrder_TopologicalOrderPutsUpstreamsFirst()
    {
        var g = Graph("d:b,c", "c:a", "b:a", "a");

        var order = Ids(g, g.TopologicalOrder);
        Assert.Equal("a", order[0]);
        Assert.Equal("d", order[3]);
        Assert.Equal(2, g.LayerOf(g.IndexOf("d")));
    }

    [Fact]
    public void Layers_UseLongestDistanceFromARoot()
    {
        // e depends on a root directly and on the end of a chain: it belongs after the chain.
        var g = Graph("a", "b:a", "c:b", "e:a,c");

        Assert.Equal(3, g.LayerOf(g.IndexOf("e")));
        Assert.Equal(["a", "b", "c", "e"], Ids(g, g.CriticalPath.Tasks));
    }

    [Fact]
    public void Build_WideFanOut_MaxWidthIsTheFan()
    {
        var tasks = new List<string> { "start" };
        tasks.AddRange(Enumerable.Range(0, 50).Select(i => $"w{i}:start"));
        tasks.Add("join:" + string.Join(',', Enumerable.Range(0, 50).Select(i => $"w{i}")));
        var g = Graph([.. tasks]);

        Assert.Equal(50, g.MaxWidth);
        Assert.Equal(100, g.EdgeCount);
        Assert.Equal(3, g.Layers.Count);
        Assert.Equal(50, g.Downstream(0).Length);
        Assert.Equal(3, g.CriticalPath.Length);
    }

    [Fact]
    public void Build_DisconnectedParts_EachHasRootsAndLeaves()
    {
        var g = Graph("a", "b:a", "x", "y:x", "z:y", "lone");

        Assert.Equal(["a", "x", "lone"], Ids(g, g.Roots));
        Assert.Equal(["b", "z", "lone"], Ids(g, g.Leaves));
        Assert.Equal([["a", "x", "lone"], ["b", "y"], ["z"]], g.Layers.Select(l => Ids(g, l)));
        Assert.Equal(["x", "y", "z"], Ids(g, g.CriticalPath.Tasks));
        Assert.Empty(g.Ancestors("lone"));
        Assert.Empty(g.Descendants("lone"));
    }

    [Fact]
    public void Lineage_FollowsIndirectDependencies()
    {
        var g = Graph("a", "b:a", "c:a", "d:b,c", "e:d", "other");

        Assert.Equal(["a", "b", "c", "d"], Ids(g, g.Ancestors("e")));
        Assert.Equal(["b", "c", "d", "e"], Ids(g, g.Descendants("a")));
        Assert.Equal(["a"], Ids(g, g.Ancestors("c")));
        Assert.Equal(["d", "e"], Ids(g, g.Descendants("b")));
    }

    [Fact]
    public void FindCriticalPath_WithEstimates_PrefersTheHeavierBranch()
    {
        var g = Graph("a", "quick:a", "slow:a", "end:quick,slow");

        var path = g.FindCriticalPath(t => t.Id == "slow" ? 30 : 1);

        Assert.Equal(["a", "slow", "end"], Ids(g, path.Tasks));
        Assert.Equal(32, path.Length);
    }

    [Fact]
    public void FindCriticalPath_NegativeEstimate_Throws()
    {
        var g = Graph("a");

        Assert.Throws<ArgumentException>(() => g.FindCriticalPath(_ => -1));
    }

    [Fact]
    public void Build_DuplicateDependency_CountsOneEdge()
    {
        var g = Graph("a", "b:a,a");

        Assert.Equal(1, g.EdgeCount);
        Assert.Equal(["a"], Ids(g, g.Upstream(1)));
    }

    [Fact]
    public void Build_Empty_HasNothing()
    {
        var g = Graph();

        Assert.Equal(0, g.Count);
        Assert.Empty(g.Layers);
        Assert.Equal(0, g.MaxWidth);
        Assert.Empty(g.CriticalPath.Tasks);
    }

    [Fact]
    public void Build_Cycle_ThrowsNamingTheCycle()
    {
        var ex = Assert.Throws<DagCycleException>(() => Graph("start", "a:start,c", "b:a", "c:b", "after:c"));

        Assert.Equal(["a", "b", "c", "a"], ex.Cycle.ToArray());
        Assert.Contains("a -> b -> c -> a", ex.Message);
    }

    [Fact]
    public void Build_SelfDependency_ThrowsCycle()
    {
        var ex = Assert.Throws<DagCycleException>(() => Graph("a:a"));

        Assert.Equal(["a", "a"], ex.Cycle.ToArray());
    }

    [Fact]
    public void Build_UnknownDependency_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Graph("a:ghost"));

        Assert.Contains("ghost", ex.Message);
    }

    [Fact]
    public void IndexOf_UnknownTask_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Graph("a").IndexOf("b"));
    }

    [Fact]
    public void Build_TenThousandTasksInLayers_IsFastAndCorrect()
    {
        // 100 layers of 100 tasks; each task depends on three tasks of the layer before.
        const int Width = 100, Depth = 100;
        var tasks = new TaskDefinition[Width * Depth];
        for (var layer = 0; layer < Depth; layer++)
        {
            for (var j = 0; j < Width; j++)
            {
                tasks[(layer * Width) + j] = new TaskDefinition
                {
                    Id = $"t{layer}_{j}",
                    DependsOn = layer == 0 ? [] : [$"t{layer - 1}_{j}", $"t{layer - 1}_{(j + 1) % Width}", $"t{layer - 1}_{(j + 7) % Width}"],
                };
            }
        }

        var dag = new DagDefinition { Id = "big", Tasks = [.. tasks] };
        var clock = Stopwatch.StartNew();
        var g = DagGraph.Build(dag);
        var path = g.CriticalPath;
        var descendants = g.Descendants("t0_0");
        clock.Stop();

        Assert.Equal(10_000, g.Count);
        Assert.Equal(3 * Width * (Depth - 1), g.EdgeCount);
        Assert.Equal(Depth, g.Layers.Count);
        Assert.All(g.Layers, l => Assert.Equal(Width, l.Length));
        Assert.Equal(Width, g.MaxWidth);
        Assert.Equal(Depth, path.Length);
        Assert.Equal(NaiveDescendants(dag, "t0_0"), Ids(g, descendants).Order(StringComparer.Ordinal));
        Assert.Contains(g.IndexOf($"t{Depth - 1}_0"), descendants);
        Assert.True(clock.ElapsedMilliseconds < 2_000, $"took {clock.ElapsedMilliseconds} ms");
    }

    private static string[] NaiveDescendants(DagDefinition dag, string taskId)
    {
        var found = new HashSet<string> { taskId };
        bool grew;
        do
        {
            grew = false;
            foreach (var t in dag.Tasks)
            {
                if (!found.Contains(t.Id) && t.DependsOn.Any(found.Contains))
                {
                    grew = found.Add(t.Id) || grew;
                }
            }
        }
        while (grew);

        found.Remove(taskId);
        return [.. found.Order(StringComparer.Ordinal)];
    }
}
