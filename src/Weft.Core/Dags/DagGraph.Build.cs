using System.Collections.Immutable;

namespace Weft.Core.Dags;

// Construction steps, each linear in tasks + edges.
public sealed partial class DagGraph
{
    private static (int[] Start, int[] Targets) BuildUpstreams(DagDefinition dag, Dictionary<string, int> indexById)
    {
        var tasks = dag.Tasks;
        var n = tasks.Length;
        var start = new int[n + 1];
        var targets = new List<int>(n);
        var lastSeenBy = new int[n];   // dedupes a dependency listed twice without a set per task
        Array.Fill(lastSeenBy, -1);
        for (var i = 0; i < n; i++)
        {
            start[i] = targets.Count;
            foreach (var dependency in tasks[i].DependsOn)
            {
                if (!indexById.TryGetValue(dependency, out var u))
                {
                    throw new ArgumentException($"task '{tasks[i].Id}' of DAG '{dag.Id}' depends on '{dependency}', which is not a task of the DAG", nameof(dag));
                }

                if (u == i)
                {
                    throw new DagCycleException(dag.Id, [tasks[i].Id, tasks[i].Id]);
                }

                if (lastSeenBy[u] != i)
                {
                    lastSeenBy[u] = i;
                    targets.Add(u);
                }
            }
        }

        start[n] = targets.Count;
        return (start, [.. targets]);
    }

    // Counting sort of the edges by their other end: downstreams come out in file order.
    private static (int[] Start, int[] Targets) Invert(int n, int[] start, int[] targets)
    {
        var outStart = new int[n + 1];
        foreach (var u in targets)
        {
            outStart[u + 1]++;
        }

        for (var i = 0; i < n; i++)
        {
            outStart[i + 1] += outStart[i];
        }

        var fill = outStart[..n];
        var outTargets = new int[targets.Length];
        for (var v = 0; v < n; v++)
        {
            for (var e = start[v]; e < start[v + 1]; e++)
            {
                outTargets[fill[targets[e]]++] = v;
            }
        }

        return (outStart, outTargets);
    }

    // Kahn's algorithm with a FIFO queue seeded in file order, so the order is stable and readable.
    private static int[] SortTopologically(DagDefinition dag, int[] upStart, int[] up, int[] downStart, int[] down)
    {
        var n = upStart.Length - 1;
        var pending = new int[n];
        var order = new int[n];
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            pending[i] = upStart[i + 1] - upStart[i];
            if (pending[i] == 0)
            {
                order[count++] = i;
            }
        }

        for (var head = 0; head < count; head++)
        {
            var u = order[head];
            for (var e = downStart[u]; e < downStart[u + 1]; e++)
            {
                if (--pending[down[e]] == 0)
                {
                    order[count++] = down[e];
                }
            }
        }

        if (count < n)
        {
            throw new DagCycleException(dag.Id, FindCycle(dag, pending, upStart, up));
        }

        return order;
    }

    // Every task left with pending upstreams has one of them also left, so walking upstream through
    // such tasks must revisit one: the walk from the first revisit is a cycle.
    private static ImmutableArray<string> FindCycle(DagDefinition dag, int[] pending, int[] upStart, int[] up)
    {
        var n = pending.Length;
        var stepOf = new int[n];
        Array.Fill(stepOf, -1);
        var walk = new List<int>();
        var v = Array.FindIndex(pending, p => p > 0);
        while (stepOf[v] < 0)
        {
            stepOf[v] = walk.Count;
            walk.Add(v);
            for (var e = upStart[v]; e < upStart[v + 1]; e++)
            {
                if (pending[up[e]] > 0)
                {
                    v = up[e];
                    break;
                }
            }
        }

        // The walk went downstream-to-upstream; report it in dependency order, starting from the task
        // first in the file so the message does not depend on where the walk began, closing the loop.
        var cycle = walk.GetRange(stepOf[v], walk.Count - stepOf[v]);
        cycle.Reverse();
        var first = cycle.IndexOf(cycle.Min());
        cycle = [.. cycle[first..], .. cycle[..first]];
        cycle.Add(cycle[0]);
        return [.. cycle.Select(i => dag.Tasks[i].Id)];
    }

    private static (int[] LayerOf, IReadOnlyList<ImmutableArray<int>> Layers) AssignLayers(int n, int[] topological, int[] upStart, int[] up)
    {
        var layerOf = new int[n];
        var layerCount = 0;
        foreach (var v in topological)
        {
            var layer = 0;
            for (var e = upStart[v]; e < upStart[v + 1]; e++)
            {
                layer = Math.Max(layer, layerOf[up[e]] + 1);
            }

            layerOf[v] = layer;
            layerCount = Math.Max(layerCount, layer + 1);
        }

        var builders = new ImmutableArray<int>.Builder[layerCount];
        for (var k = 0; k < layerCount; k++)
        {
            builders[k] = ImmutableArray.CreateBuilder<int>();
        }

        for (var i = 0; i < n; i++)
        {
            builders[layerOf[i]].Add(i);
        }

        return (layerOf, [.. builders.Select(b => b.ToImmutable())]);
    }
}
