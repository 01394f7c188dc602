using Weft.Core.Definitions;
using Weft.Core.Diagnostics;

namespace Weft.Core.Dags;

/// <summary>
/// The validator's view of the dependencies: tasks by index, and each task's known upstreams. Building it reports
/// duplicate ids, unknown dependencies and self-dependencies; everything after works on indices only.
/// </summary>
internal sealed class TaskGraph
{
    private TaskGraph(Dictionary<string, int> index, int[][] upstream, int[][] edgeSlots)
    {
        Index = index;
        Upstream = upstream;
        EdgeSlots = edgeSlots;
    }

    /// <summary>Task id to the index of its first occurrence.</summary>
    public Dictionary<string, int> Index { get; }

    /// <summary>For each task, the indices of its known upstream tasks.</summary>
    public int[][] Upstream { get; }

    /// <summary>For each task and upstream, where in <c>depends_on</c> that entry stands.</summary>
    public int[][] EdgeSlots { get; }

    public static TaskGraph Build(DagDefinition dag, List<Diagnostic> d)
    {
        var tasks = dag.Tasks;
        var index = new Dictionary<string, int>(tasks.Length, StringComparer.Ordinal);
        for (var i = 0; i < tasks.Length; i++)
        {
            var t = tasks[i];
            if (t.Id.Length == 0)
            {
                continue;
            }

            if (!index.TryAdd(t.Id, i))
            {
                var first = tasks[index[t.Id]].PositionOf("id");
                var where = first.Line > 0 ? $"first defined at line {first.Line}" : "defined twice";
                d.Add(Diagnostic.Error(t.PositionOf("id"), $"duplicate task id '{DagValidator.Short(t.Id)}' ({where}); task ids must be unique in a DAG"));
            }
        }

        var upstream = new int[tasks.Length][];
        var slots = new int[tasks.Length][];
        var seen = new HashSet<int>();
        var suggestions = new Lazy<string[]>(() => [.. index.Keys]);
        for (var i = 0; i < tasks.Length; i++)
        {
            var t = tasks[i];
            var ups = new List<int>(t.DependsOn.Length);
            var sl = new List<int>(t.DependsOn.Length);
            seen.Clear();
            for (var k = 0; k < t.DependsOn.Length; k++)
            {
                var dep = t.DependsOn[k];
                var at = t.PositionOf($"depends_on[{k}]");
                if (dep == t.Id)
                {
                    d.Add(Diagnostic.Error(at, $"task '{DagValidator.Short(t.Id)}' depends on itself; remove it from its own 'depends_on'"));
                }
                else if (!index.TryGetValue(dep, out var j))
                {
                    var hint = index.Count <= 5000 ? NameSuggester.Hint(dep, suggestions.Value) : string.Empty;
                    d.Add(Diagnostic.Error(at, $"task '{DagValidator.Short(t.Id)}' depends on '{DagValidator.Short(dep)}', which is not a task of this DAG{hint}"));
                }
                else if (!seen.Add(j))
                {
                    d.Add(Diagnostic.Warning(at, $"task '{DagValidator.Short(t.Id)}' lists '{DagValidator.Short(dep)}' in 'depends_on' more than once"));
                }
                else
                {
                    ups.Add(j);
                    sl.Add(k);
                }
            }

            upstream[i] = [.. ups];
            slots[i] = [.. sl];
        }

        return new TaskGraph(index, upstream, slots);
    }

    // Above this many tasks the all-pairs bitsets would cost too much memory; a search per task is used instead.
    private const int MaxBitsetTasks = 20_000;
    private ulong[][]? _ancestorBits;
    private bool _bitsTried;

    /// <summary>True when <paramref name="task"/> depends on <paramref name="ancestor"/>, directly or not.</summary>
    public bool IsAncestor(int ancestor, int task, ref HashSet<int>? searched)
    {
        if (!_bitsTried)
        {
            _bitsTried = true;
            _ancestorBits = Upstream.Length <= MaxBitsetTasks ? AncestorBits() : null;
        }

        if (_ancestorBits is not null)
        {
            return (_ancestorBits[task][ancestor >> 6] & (1UL << (ancestor & 63))) != 0;
        }

        searched ??= Ancestors(task);
        return searched.Contains(ancestor);
    }

    /// <summary>Every task <paramref name="task"/> depends on, directly or not.</summary>
    public HashSet<int> Ancestors(int task)
    {
        var result = new HashSet<int>();
        var stack = new Stack<int>(Upstream[task]);
        while (stack.Count > 0)
        {
            var u = stack.Pop();
            if (result.Add(u))
            {
                foreach (var v in Upstream[u]) stack.Push(v);
            }
        }

        return result;
    }

    // Ancestor sets as bitsets, filled in topological order: O(edges × tasks / 64). Null when there is a cycle.
    private ulong[][]? AncestorBits()
    {
        var n = Upstream.Length;
        var words = (n + 63) / 64;
        var pending = new int[n];
        var downstream = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            pending[i] = Upstream[i].Length;
            foreach (var u in Upstream[i]) (downstream[u] ??= []).Add(i);
        }

        var ready = new Queue<int>(Enumerable.Range(0, n).Where(i => pending[i] == 0));
        var bits = new ulong[n][];
        var done = 0;
        while (ready.Count > 0)
        {
            var i = ready.Dequeue();
            done++;
            var b = bits[i] = new ulong[words];
            foreach (var u in Upstream[i])
            {
                var ub = bits[u];
                for (var w = 0; w < words; w++) b[w] |= ub[w];
                b[u >> 6] |= 1UL << (u & 63);
            }

            if (downstream[i] is { } next)
            {
                foreach (var d in next)
                {
                    if (--pending[d] == 0) ready.Enqueue(d);
                }
            }
        }

        return done == n ? bits : null;
    }
}
