using Weft.Core.Dags;

namespace Weft.Core.Runs;

/// <summary>
/// A DAG's tasks indexed by position, with downstream edges in one flat array (compressed rows),
/// so that walking a task's downstreams costs nothing but the edges themselves.
/// </summary>
internal sealed class RunGraph
{
    private readonly TaskDefinition[] _tasks;
    private readonly Dictionary<string, int> _index;
    private readonly int[] _upstreamCount;
    private readonly int[] _downstreamStart;
    private readonly int[] _downstream;

    /// <summary>Indexes the tasks of <paramref name="dag"/>; a repeated upstream counts once.</summary>
    /// <exception cref="ArgumentException">A task id is repeated, or a task depends on itself or on an unknown task.</exception>
    public RunGraph(DagDefinition dag)
    {
        _tasks = [.. dag.Tasks];
        _index = new Dictionary<string, int>(_tasks.Length, StringComparer.Ordinal);
        for (var i = 0; i < _tasks.Length; i++)
        {
            if (!_index.TryAdd(_tasks[i].Id, i))
            {
                throw new ArgumentException($"Task '{_tasks[i].Id}' appears more than once in DAG '{dag.Id}'.", nameof(dag));
            }
        }

        var upstreams = new int[_tasks.Length][];
        _upstreamCount = new int[_tasks.Length];
        var downstreamCount = new int[_tasks.Length];
        var seen = new HashSet<int>();
        for (var i = 0; i < _tasks.Length; i++)
        {
            seen.Clear();
            foreach (var up in _tasks[i].DependsOn)
            {
                if (!_index.TryGetValue(up, out var u) || u == i)
                {
                    throw new ArgumentException($"Task '{_tasks[i].Id}' depends on '{up}', which is not another task of DAG '{dag.Id}'.", nameof(dag));
                }
                seen.Add(u);
            }
            upstreams[i] = [.. seen];
            _upstreamCount[i] = upstreams[i].Length;
            foreach (var u in upstreams[i])
            {
                downstreamCount[u]++;
            }
        }

        _downstreamStart = new int[_tasks.Length + 1];
        for (var i = 0; i < _tasks.Length; i++)
        {
            _downstreamStart[i + 1] = _downstreamStart[i] + downstreamCount[i];
        }
        _downstream = new int[_downstreamStart[_tasks.Length]];
        var fill = _downstreamStart[..^1];
        for (var i = 0; i < _tasks.Length; i++)
        {
            foreach (var u in upstreams[i])
            {
                _downstream[fill[u]++] = i;
            }
        }
    }

    /// <summary>Number of tasks.</summary>
    public int Count => _tasks.Length;

    /// <summary>The task at <paramref name="index"/>.</summary>
    public TaskDefinition Task(int index) => _tasks[index];

    /// <summary>The index of a task id.</summary>
    /// <exception cref="ArgumentException">The DAG has no such task.</exception>
    public int IndexOf(string taskId) =>
        _index.TryGetValue(taskId, out var i) ? i : throw new ArgumentException($"Unknown task '{taskId}'.", nameof(taskId));

    /// <summary>Looks up the index of a task id.</summary>
    public bool TryGetIndex(string taskId, out int index) => _index.TryGetValue(taskId, out index);

    /// <summary>Number of distinct direct upstreams.</summary>
    public int UpstreamCount(int index) => _upstreamCount[index];

    /// <summary>Direct downstream task indexes.</summary>
    public ReadOnlySpan<int> Downstream(int index) =>
        _downstream.AsSpan(_downstreamStart[index], _downstreamStart[index + 1] - _downstreamStart[index]);

    /// <summary>True for a task nothing depends on.</summary>
    public bool IsLeaf(int index) => _downstreamStart[index + 1] == _downstreamStart[index];
}
