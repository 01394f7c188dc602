using Weft.Core.Diagnostics;

namespace Weft.Core.Dags;

internal static partial class DagValidator
{
    private const int MaxCyclesReported = 10;

    /// <summary>Finds cycles with an iterative depth-first search (no recursion: 10,000-task chains are fine).</summary>
    private static void CheckCycles(DagDefinition dag, TaskGraph g, List<Diagnostic> d)
    {
        var n = dag.Tasks.Length;
        var color = new byte[n]; // 0 unseen, 1 on the current path, 2 done
        var path = new List<int>();
        var next = new int[n];
        var reported = 0;
        for (var root = 0; root < n && reported < MaxCyclesReported; root++)
        {
            if (color[root] != 0) continue;
            path.Add(root);
            color[root] = 1;
            while (path.Count > 0 && reported < MaxCyclesReported)
            {
                var u = path[^1];
                if (next[u] == g.Upstream[u].Length)
                {
                    color[u] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                var slot = next[u]++;
                var v = g.Upstream[u][slot];
                if (color[v] == 0)
                {
                    color[v] = 1;
                    path.Add(v);
                }
                else if (color[v] == 1)
                {
                    // The path runs from downstream to upstream; print the cycle in run order.
                    var start = path.LastIndexOf(v);
                    var ids = new List<string> { dag.Tasks[v].Id };
                    for (var i = path.Count - 1; i >= start; i--) ids.Add(dag.Tasks[path[i]].Id);
                    var at = dag.Tasks[u].PositionOf($"depends_on[{g.EdgeSlots[u][slot]}]");
                    d.Add(Diagnostic.Error(at, $"dependency cycle: {string.Join(" -> ", ids)}; a task cannot depend on itself, even indirectly; remove one of these dependencies"));
                    reported++;
                }
            }

            path.Clear();
        }
    }

    /// <summary>Warns about a lone task in a DAG whose other tasks all hang together: often a forgotten depends_on.</summary>
    private static void CheckConnected(DagDefinition dag, TaskGraph g, List<Diagnostic> d)
    {
        var n = dag.Tasks.Length;
        if (n < 3) return;
        var parent = new int[n];
        for (var i = 0; i < n; i++) parent[i] = i;
        var linked = new bool[n];
        for (var u = 0; u < n; u++)
        {
            foreach (var v in g.Upstream[u])
            {
                linked[u] = linked[v] = true;
                parent[Find(parent, u)] = Find(parent, v);
            }
        }

        var connected = Enumerable.Range(0, n).Where(i => linked[i]).ToList();
        var lone = Enumerable.Range(0, n).Where(i => !linked[i]).ToList();
        if (connected.Count < 2 || lone.Count == 0 || lone.Count >= connected.Count) return;
        var component = Find(parent, connected[0]);
        if (connected.Any(i => Find(parent, i) != component)) return;
        foreach (var i in lone)
        {
            var t = dag.Tasks[i];
            d.Add(Diagnostic.Warning(t.PositionOf("id"), $"task '{Short(t.Id)}' is not connected to the rest of the DAG: nothing depends on it and it depends on nothing; add 'depends_on' if it should run in order"));
        }
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
