using System.Collections.Immutable;

namespace Weft.Core.Dags;

/// <summary>
/// The dependency graph of a <see cref="DagDefinition"/>, with tasks indexed by int in file order.
/// Built once in O(tasks + edges); adjacency is stored in two flat arrays per direction, so a
/// 10,000-task DAG costs a few small allocations rather than one list per task.
/// </summary>
/// <remarks>
/// The graph assumes the definition is acyclic (the loader rejects cycles); meeting a cycle while
/// building throws <see cref="DagCycleException"/> naming the tasks on it.
/// </remarks>
public sealed partial class DagGraph
{
    private readonly Dictionary<string, int> _indexById;
    private readonly int[] _upStart;     // task i's upstreams are _up[_upStart[i] .. _upStart[i + 1]]
    private readonly int[] _up;
    private readonly int[] _downStart;   // likewise for downstreams
    private readonly int[] _down;
    private readonly int[] _topological;
    private readonly int[] _layerOf;
    private DagPath? _criticalPath;

    private DagGraph(DagDefinition dag)
    {
        Dag = dag;
        var tasks = dag.Tasks;
        var n = tasks.Length;
        _indexById = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (!_indexById.TryAdd(tasks[i].Id, i))
            {
                throw new ArgumentException($"DAG '{dag.Id}' has two tasks with the id '{tasks[i].Id}'", nameof(dag));
            }
        }

        (_upStart, _up) = BuildUpstreams(dag, _indexById);
        (_downStart, _down) = Invert(n, _upStart, _up);
        _topological = SortTopologically(dag, _upStart, _up, _downStart, _down);
        (_layerOf, Layers) = AssignLayers(n, _topological, _upStart, _up);
        Roots = Collect(n, i => _upStart[i + 1] == _upStart[i]);
        Leaves = Collect(n, i => _downStart[i + 1] == _downStart[i]);
        MaxWidth = Layers.Count == 0 ? 0 : Layers.Max(l => l.Length);
    }

    /// <summary>Builds the graph of a DAG.</summary>
    /// <exception cref="ArgumentException">A task id is duplicated or a dependency names no task.</exception>
    /// <exception cref="DagCycleException">The dependencies form a cycle.</exception>
    public static DagGraph Build(DagDefinition dag)
    {
        ArgumentNullException.ThrowIfNull(dag);
        return new DagGraph(dag);
    }

    /// <summary>The definition the graph was built from.</summary>
    public DagDefinition Dag { get; }

    /// <summary>Number of tasks.</summary>
    public int Count => _layerOf.Length;

    /// <summary>Number of dependency edges (a dependency listed twice counts once).</summary>
    public int EdgeCount => _up.Length;

    /// <summary>Tasks with no upstream, in file order.</summary>
    public ImmutableArray<int> Roots { get; }

    /// <summary>Tasks with no downstream, in file order.</summary>
    public ImmutableArray<int> Leaves { get; }

    /// <summary>Every task once, each after all of its upstreams; ties keep file order.</summary>
    public ReadOnlySpan<int> TopologicalOrder => _topological;

    /// <summary>
    /// Tasks grouped by layer: a task's layer is the length of the longest path to it from a root,
    /// so layer 0 holds the roots and every task of layer k can start once layers 0..k-1 are done.
    /// Tasks within a layer are in file order.
    /// </summary>
    public IReadOnlyList<ImmutableArray<int>> Layers { get; }

    /// <summary>The size of the largest layer: the most tasks the layered schedule runs at once.</summary>
    public int MaxWidth { get; }

    /// <summary>The longest path counted in tasks (each task weighs 1).</summary>
    public DagPath CriticalPath => _criticalPath ??= FindCriticalPath(static _ => 1);

    /// <summary>The task at an index.</summary>
    public TaskDefinition Task(int index) => Dag.Tasks[index];

    /// <summary>The id of the task at an index.</summary>
    public string Id(int index) => Dag.Tasks[index].Id;

    /// <summary>The index of a task id.</summary>
    /// <exception cref="KeyNotFoundException">No task has that id.</exception>
    public int IndexOf(string taskId) =>
        _indexById.TryGetValue(taskId, out var i) ? i : throw new KeyNotFoundException($"DAG '{Dag.Id}' has no task '{taskId}'");

    /// <summary>Finds a task's index; false when the DAG has no such task.</summary>
    public bool TryGetIndex(string taskId, out int index) => _indexById.TryGetValue(taskId, out index);

    /// <summary>The direct upstreams of a task, in the order its <c>depends_on</c> lists them.</summary>
    public ReadOnlySpan<int> Upstream(int index) => _up.AsSpan(_upStart[index], _upStart[index + 1] - _upStart[index]);

    /// <summary>The direct downstreams of a task, in file order.</summary>
    public ReadOnlySpan<int> Downstream(int index) => _down.AsSpan(_downStart[index], _downStart[index + 1] - _downStart[index]);

    /// <summary>The layer of a task (0 for roots); see <see cref="Layers"/>.</summary>
    public int LayerOf(int index) => _layerOf[index];

    /// <summary>Every task the given one depends on, directly or not, in file order.</summary>
    public ImmutableArray<int> Ancestors(int index) => Reach(index, upstream: true);

    /// <summary>Every task the given one depends on, directly or not, in file order.</summary>
    public ImmutableArray<int> Ancestors(string taskId) => Ancestors(IndexOf(taskId));

    /// <summary>Every task that depends on the given one, directly or not, in file order.</summary>
    public ImmutableArray<int> Descendants(int index) => Reach(index, upstream: false);

    /// <summary>Every task that depends on the given one, directly or not, in file order.</summary>
    public ImmutableArray<int> Descendants(string taskId) => Descendants(IndexOf(taskId));

    /// <summary>
    /// The heaviest path from a root to a leaf, a task weighing what <paramref name="estimate"/> says
    /// (for example its typical duration in seconds). Ties go to the path ending earliest in file order.
    /// </summary>
    /// <exception cref="ArgumentException">An estimate is negative or not a number.</exception>
    public DagPath FindCriticalPath(Func<TaskDefinition, double> estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var n = Count;
        if (n == 0)
        {
            return new DagPath([], 0);
        }

        var weight = new double[n];   // heaviest path ending at the task, the task included
        var previous = new int[n];
        foreach (var v in _topological)
        {
            var w = estimate(Dag.Tasks[v]);
            if (double.IsNaN(w) || w < 0)
            {
                throw new ArgumentException($"the estimate for task '{Id(v)}' is {w}; estimates must be zero or more", nameof(estimate));
            }

            var best = -1;
            var bestWeight = 0d;
            foreach (var u in Upstream(v))
            {
                if (best < 0 || weight[u] > bestWeight)
                {
                    best = u;
                    bestWeight = weight[u];
                }
            }

            weight[v] = bestWeight + w;
            previous[v] = best;
        }

        var end = 0;
        for (var i = 1; i < n; i++)
        {
            if (weight[i] > weight[end])
            {
                end = i;
            }
        }

        var path = new List<int>();
        for (var v = end; v >= 0; v = previous[v])
        {
            path.Add(v);
        }

        path.Reverse();
        return new DagPath([.. path], weight[end]);
    }

    private ImmutableArray<int> Reach(int start, bool upstream)
    {
        var seen = new bool[Count];
        var stack = new Stack<int>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var next in upstream ? Upstream(v) : Downstream(v))
            {
                if (!seen[next])
                {
                    seen[next] = true;
                    stack.Push(next);
                }
            }
        }

        return Collect(Count, i => seen[i]);
    }

    private static ImmutableArray<int> Collect(int n, Func<int, bool> keep)
    {
        var result = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < n; i++)
        {
            if (keep(i))
            {
                result.Add(i);
            }
        }

        return result.ToImmutable();
    }
}
